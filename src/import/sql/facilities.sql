-- Facilities by source id: new ones inserted, changed ones updated, identical ones untouched.
-- $2: the canonical fields the file maps; an existing facility keeps the values of the others,
-- and its attrs are merged (the file's keys win).
INSERT INTO facility AS f (source_id, kind, subtype, name, name_ar, name_fr, source, attrs, geom)
SELECT s.key, s.data->>'kind', s.data->>'subtype', s.data->>'name', s.data->>'name_ar', s.data->>'name_fr',
       $1, s.attrs, s.geom
FROM mk_stage s
WHERE s.reject IS NULL
ORDER BY s.ord
ON CONFLICT (source_id) DO UPDATE
SET kind = EXCLUDED.kind,
    subtype = CASE WHEN 'subtype' = ANY($2) THEN EXCLUDED.subtype ELSE f.subtype END,
    name = CASE WHEN 'name' = ANY($2) THEN EXCLUDED.name ELSE f.name END,
    name_ar = CASE WHEN 'name_ar' = ANY($2) THEN EXCLUDED.name_ar ELSE f.name_ar END,
    name_fr = CASE WHEN 'name_fr' = ANY($2) THEN EXCLUDED.name_fr ELSE f.name_fr END,
    source = EXCLUDED.source, attrs = f.attrs || EXCLUDED.attrs, geom = EXCLUDED.geom
WHERE (f.kind, f.subtype, f.name, f.name_ar, f.name_fr, f.source, f.attrs)
      IS DISTINCT FROM
      (EXCLUDED.kind,
       CASE WHEN 'subtype' = ANY($2) THEN EXCLUDED.subtype ELSE f.subtype END,
       CASE WHEN 'name' = ANY($2) THEN EXCLUDED.name ELSE f.name END,
       CASE WHEN 'name_ar' = ANY($2) THEN EXCLUDED.name_ar ELSE f.name_ar END,
       CASE WHEN 'name_fr' = ANY($2) THEN EXCLUDED.name_fr ELSE f.name_fr END,
       EXCLUDED.source, f.attrs || EXCLUDED.attrs)
   OR ST_AsBinary(f.geom) <> ST_AsBinary(EXCLUDED.geom)
RETURNING (xmax = 0) AS inserted
