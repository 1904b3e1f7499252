-- The locations of an imported activity, in one statement (the location triggers then assign them
-- once). $1 project id, $2 source ids (location/@ref), $3 precisions, $4 place names, $5 unit
-- codes, $6 lats, $7 lons (NULL: the unit's point on surface). Returns one row per location
-- inserted or changed.
INSERT INTO project_location AS l (project_id, source_id, precision, place_name, unit_code, geom)
SELECT $1, x.source_id, x.precision, x.place_name, x.unit_code, g.geom
FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::float8[])
     AS x(source_id, precision, place_name, unit_code, lat, lon)
CROSS JOIN LATERAL (
    SELECT coalesce(ST_SetSRID(ST_MakePoint(x.lon, x.lat), 4326),
                    (SELECT ST_PointOnSurface(u.geom) FROM admin_unit u
                     WHERE u.level = x.precision AND u.code = x.unit_code AND u.valid_to IS NULL)) AS geom
) g
WHERE g.geom IS NOT NULL
ON CONFLICT (project_id, source_id) DO UPDATE
SET precision = EXCLUDED.precision, place_name = EXCLUDED.place_name,
    unit_code = EXCLUDED.unit_code, geom = EXCLUDED.geom
WHERE (l.precision, l.place_name, l.unit_code, ST_AsEWKB(l.geom))
      IS DISTINCT FROM (EXCLUDED.precision, EXCLUDED.place_name, EXCLUDED.unit_code, ST_AsEWKB(EXCLUDED.geom))
RETURNING l.id
