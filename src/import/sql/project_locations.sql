-- Project locations by (project, source id).
INSERT INTO project_location AS l (project_id, source_id, precision, place_name, unit_code, geom)
SELECT p.id, s.data->>'location_id', s.data->>'precision', s.data->>'place_name', s.data->>'unit_code', s.geom
FROM mk_stage s JOIN project p ON p.code = s.data->>'code'
WHERE s.reject IS NULL
ORDER BY s.ord
ON CONFLICT (project_id, source_id) DO UPDATE
SET precision = EXCLUDED.precision, place_name = EXCLUDED.place_name, unit_code = EXCLUDED.unit_code,
    geom = EXCLUDED.geom
WHERE (l.precision, l.place_name, l.unit_code) IS DISTINCT FROM (EXCLUDED.precision, EXCLUDED.place_name, EXCLUDED.unit_code)
   OR ST_AsBinary(l.geom) <> ST_AsBinary(EXCLUDED.geom)
RETURNING l.project_id, (xmax = 0) AS inserted, (SELECT p.code FROM project p WHERE p.id = l.project_id), l.source_id
