-- Project locations by (project, source id). $1: the canonical fields the file maps; an existing
-- location keeps its precision, place name, unit code and disclosure level (docs/disclosure.md)
-- when the file does not map them.
INSERT INTO project_location AS l (project_id, source_id, precision, place_name, unit_code, disclosure, geom)
SELECT p.id, s.data->>'location_id', s.data->>'precision', s.data->>'place_name', s.data->>'unit_code',
       coalesce(s.data->>'disclosure', 'exact'), s.geom
FROM mk_stage s JOIN project p ON p.code = s.data->>'code'
WHERE s.reject IS NULL
ORDER BY s.ord
ON CONFLICT (project_id, source_id) DO UPDATE
SET precision = CASE WHEN 'precision' = ANY($1) THEN EXCLUDED.precision ELSE l.precision END,
    place_name = CASE WHEN 'place_name' = ANY($1) THEN EXCLUDED.place_name ELSE l.place_name END,
    unit_code = CASE WHEN 'unit_code' = ANY($1) THEN EXCLUDED.unit_code ELSE l.unit_code END,
    disclosure = CASE WHEN 'disclosure' = ANY($1) THEN EXCLUDED.disclosure ELSE l.disclosure END,
    geom = EXCLUDED.geom
WHERE (l.precision, l.place_name, l.unit_code, l.disclosure) IS DISTINCT FROM
      (CASE WHEN 'precision' = ANY($1) THEN EXCLUDED.precision ELSE l.precision END,
       CASE WHEN 'place_name' = ANY($1) THEN EXCLUDED.place_name ELSE l.place_name END,
       CASE WHEN 'unit_code' = ANY($1) THEN EXCLUDED.unit_code ELSE l.unit_code END,
       CASE WHEN 'disclosure' = ANY($1) THEN EXCLUDED.disclosure ELSE l.disclosure END)
   OR ST_AsBinary(l.geom) <> ST_AsBinary(EXCLUDED.geom)
RETURNING l.project_id, (xmax = 0) AS inserted, (SELECT p.code FROM project p WHERE p.id = l.project_id), l.source_id
