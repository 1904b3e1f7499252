-- One location of an imported activity. $1 project id, $2 source id (location/@ref), $3 precision,
-- $4 place name, $5 unit code, $6 lat, $7 lon (NULL: the unit's point on surface). Returns a row
-- only when something was inserted or changed.
INSERT INTO project_location AS l (project_id, source_id, precision, place_name, unit_code, geom)
SELECT $1, $2, $3, $4, $5, g.geom
FROM (SELECT coalesce(ST_SetSRID(ST_MakePoint($7::float8, $6::float8), 4326),
                      (SELECT ST_PointOnSurface(u.geom) FROM admin_unit u
                       WHERE u.level = $3 AND u.code = $5 AND u.valid_to IS NULL)) AS geom) g
WHERE g.geom IS NOT NULL
ON CONFLICT (project_id, source_id) DO UPDATE
SET precision = EXCLUDED.precision, place_name = EXCLUDED.place_name,
    unit_code = EXCLUDED.unit_code, geom = EXCLUDED.geom
WHERE (l.precision, l.place_name, l.unit_code, ST_AsEWKB(l.geom))
      IS DISTINCT FROM (EXCLUDED.precision, EXCLUDED.place_name, EXCLUDED.unit_code, ST_AsEWKB(EXCLUDED.geom))
RETURNING l.id
