-- Is location l_id assigned now to one of these municipalities? A helper of
-- mk_location_exact_visible, reached only for planner keys (the anonymous, admin and partner
-- scopes fold before it); index location_assignment_current (location_id, level).
CREATE OR REPLACE FUNCTION mk_location_assigned_to(l_id bigint, municipalities text[]) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT EXISTS (SELECT 1 FROM location_assignment a WHERE a.location_id = l_id AND a.level = 'municipality'
                   AND a.valid_to IS NULL AND a.unit_code = ANY (municipalities))
$$;
