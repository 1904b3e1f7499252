-- Participation zones of commune $3 by code ($1 source; $2 the canonical fields the file maps:
-- an existing zone keeps the values of the others, and its attrs are merged).
INSERT INTO participation_zone AS z (municipality_code, code, name_ar, name_fr, population, source, attrs, geom)
SELECT $3, s.key, s.data->>'name_ar', s.data->>'name_fr', (s.data->>'population')::bigint, $1, s.attrs,
       ST_Multi(ST_CollectionExtract(s.geom, 3))
FROM mk_stage s
WHERE s.reject IS NULL
ORDER BY s.ord
ON CONFLICT (municipality_code, code) DO UPDATE
SET name_ar = CASE WHEN 'name_ar' = ANY($2) THEN EXCLUDED.name_ar ELSE z.name_ar END,
    name_fr = CASE WHEN 'name_fr' = ANY($2) THEN EXCLUDED.name_fr ELSE z.name_fr END,
    population = CASE WHEN 'population' = ANY($2) THEN EXCLUDED.population ELSE z.population END,
    source = EXCLUDED.source, attrs = z.attrs || EXCLUDED.attrs, geom = EXCLUDED.geom
WHERE (z.name_ar, z.name_fr, z.population, z.source, z.attrs)
      IS DISTINCT FROM
      (CASE WHEN 'name_ar' = ANY($2) THEN EXCLUDED.name_ar ELSE z.name_ar END,
       CASE WHEN 'name_fr' = ANY($2) THEN EXCLUDED.name_fr ELSE z.name_fr END,
       CASE WHEN 'population' = ANY($2) THEN EXCLUDED.population ELSE z.population END,
       EXCLUDED.source, z.attrs || EXCLUDED.attrs)
   OR ST_AsBinary(z.geom) <> ST_AsBinary(EXCLUDED.geom)
RETURNING (xmax = 0) AS inserted
