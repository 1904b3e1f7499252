-- Levels that have current units (a level without geometries gets no rows).
CREATE OR REPLACE FUNCTION mk_assign_levels() RETURNS text[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(al.level ORDER BY al.hierarchy DESC, al.depth), '{}')
    FROM admin_level al
    WHERE EXISTS (SELECT 1 FROM admin_unit u WHERE u.level = al.level AND u.valid_to IS NULL)
$$;
