-- Facilities by source id: new ones inserted, changed ones updated, identical ones untouched.
INSERT INTO facility AS f (source_id, kind, subtype, name, name_ar, name_fr, source, attrs, geom)
SELECT s.key, s.data->>'kind', s.data->>'subtype', s.data->>'name', s.data->>'name_ar', s.data->>'name_fr',
       $1, s.attrs, s.geom
FROM mk_stage s
WHERE s.reject IS NULL
ORDER BY s.ord
ON CONFLICT (source_id) DO UPDATE
SET kind = EXCLUDED.kind, subtype = EXCLUDED.subtype, name = EXCLUDED.name, name_ar = EXCLUDED.name_ar,
    name_fr = EXCLUDED.name_fr, source = EXCLUDED.source, attrs = EXCLUDED.attrs, geom = EXCLUDED.geom
WHERE (f.kind, f.subtype, f.name, f.name_ar, f.name_fr, f.source, f.attrs)
      IS DISTINCT FROM
      (EXCLUDED.kind, EXCLUDED.subtype, EXCLUDED.name, EXCLUDED.name_ar, EXCLUDED.name_fr, EXCLUDED.source, EXCLUDED.attrs)
   OR ST_AsBinary(f.geom) <> ST_AsBinary(EXCLUDED.geom)
RETURNING (xmax = 0) AS inserted
