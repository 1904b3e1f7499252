-- One unit ($1 level, $2 code): its current version, or its latest one when it no longer exists,
-- with its parent, population figures, the list of its versions and its geometry as GeoJSON.
-- The parent is the current unit whose code is parent_code, preferring a shallower level of the
-- same hierarchy (a delegation's governorate), then the deepest other level (a municipality's governorate).
SELECT u.level, u.code, u.name_ar, u.name_fr, u.name_en, u.parent_code, u.version,
       u.valid_from, u.valid_to, u.source, u.area_km2, u.attrs,
       ARRAY[ST_XMin(u.geom), ST_YMin(u.geom), ST_XMax(u.geom), ST_YMax(u.geom)]::float8[] AS bbox,
       ST_AsGeoJSON(u.geom, 6)::json AS geometry,
       (SELECT json_build_object('level', p.level, 'code', p.code, 'name_ar', p.name_ar,
                                 'name_fr', p.name_fr, 'name_en', p.name_en)
          FROM admin_unit p JOIN admin_level pl ON pl.level = p.level
         WHERE p.code = u.parent_code AND p.valid_to IS NULL AND p.level <> u.level
         ORDER BY (pl.hierarchy = l.hierarchy AND pl.depth < l.depth) DESC, pl.depth DESC
         LIMIT 1) AS parent,
       coalesce((SELECT json_agg(json_build_object('year', p.year, 'population', p.population,
                                                   'source', p.source) ORDER BY p.year, p.source)
                   FROM population p
                  WHERE p.level = u.level AND p.code = u.code), '[]'::json) AS population,
       (SELECT json_agg(json_build_object('version', v.version,
                                          'valid_from', to_char(v.valid_from AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                                          'valid_to', to_char(v.valid_to AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                                          'source', v.source, 'area_km2', v.area_km2,
                                          'current', v.valid_to IS NULL) ORDER BY v.version)
          FROM admin_unit v
         WHERE v.level = u.level AND v.code = u.code) AS versions
FROM admin_unit u
JOIN admin_level l ON l.level = u.level
WHERE u.level = $1 AND u.code = $2
ORDER BY u.valid_to IS NULL DESC, u.version DESC
LIMIT 1
