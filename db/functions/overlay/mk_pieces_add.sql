-- Cut current units `ids` into pieces of at most 64 vertices (admin_unit_piece).
CREATE OR REPLACE FUNCTION mk_pieces_add(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO admin_unit_piece (unit_id, level, code, unit_version, geom)
    SELECT u.id, u.level, u.code, u.version, ST_Subdivide(u.geom, 64)
    FROM admin_unit u
    WHERE u.id = ANY (ids) AND u.valid_to IS NULL
$$;
