-- Zones of one layer version by source id: new ones inserted, changed ones updated in place.
-- $2: the canonical fields the file maps; an existing zone keeps the values of the others, and
-- its attrs are merged (the file's keys win).
INSERT INTO landuse_zone AS z (layer_id, source_id, zone_code, class, municipality_code, label_fr, label_ar, attrs, geom)
SELECT $1, s.key, s.data->>'zone_code', s.data->>'class', s.data->>'municipality_code',
       s.data->>'label_fr', s.data->>'label_ar', s.attrs, s.geom
FROM mk_stage s
WHERE s.reject IS NULL
ORDER BY s.ord
ON CONFLICT (layer_id, source_id) DO UPDATE
SET zone_code = EXCLUDED.zone_code, class = EXCLUDED.class,
    municipality_code = CASE WHEN 'municipality_code' = ANY($2) THEN EXCLUDED.municipality_code ELSE z.municipality_code END,
    label_fr = CASE WHEN 'label_fr' = ANY($2) THEN EXCLUDED.label_fr ELSE z.label_fr END,
    label_ar = CASE WHEN 'label_ar' = ANY($2) THEN EXCLUDED.label_ar ELSE z.label_ar END,
    attrs = z.attrs || EXCLUDED.attrs, geom = EXCLUDED.geom
WHERE (z.zone_code, z.class, z.municipality_code, z.label_fr, z.label_ar, z.attrs)
      IS DISTINCT FROM
      (EXCLUDED.zone_code, EXCLUDED.class,
       CASE WHEN 'municipality_code' = ANY($2) THEN EXCLUDED.municipality_code ELSE z.municipality_code END,
       CASE WHEN 'label_fr' = ANY($2) THEN EXCLUDED.label_fr ELSE z.label_fr END,
       CASE WHEN 'label_ar' = ANY($2) THEN EXCLUDED.label_ar ELSE z.label_ar END,
       z.attrs || EXCLUDED.attrs)
   OR ST_AsBinary(z.geom) <> ST_AsBinary(EXCLUDED.geom)
RETURNING (xmax = 0) AS inserted
