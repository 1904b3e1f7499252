-- Zones of one layer version by source id: new ones inserted, changed ones updated in place.
INSERT INTO landuse_zone AS z (layer_id, source_id, zone_code, class, municipality_code, label_fr, label_ar, attrs, geom)
SELECT $1, s.key, s.data->>'zone_code', s.data->>'class', s.data->>'municipality_code',
       s.data->>'label_fr', s.data->>'label_ar', s.attrs, s.geom
FROM mk_stage s
WHERE s.reject IS NULL
ORDER BY s.ord
ON CONFLICT (layer_id, source_id) DO UPDATE
SET zone_code = EXCLUDED.zone_code, class = EXCLUDED.class, municipality_code = EXCLUDED.municipality_code,
    label_fr = EXCLUDED.label_fr, label_ar = EXCLUDED.label_ar, attrs = EXCLUDED.attrs, geom = EXCLUDED.geom
WHERE (z.zone_code, z.class, z.municipality_code, z.label_fr, z.label_ar, z.attrs)
      IS DISTINCT FROM
      (EXCLUDED.zone_code, EXCLUDED.class, EXCLUDED.municipality_code, EXCLUDED.label_fr, EXCLUDED.label_ar, EXCLUDED.attrs)
   OR ST_AsBinary(z.geom) <> ST_AsBinary(EXCLUDED.geom)
RETURNING (xmax = 0) AS inserted
