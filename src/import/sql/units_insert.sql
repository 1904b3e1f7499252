-- New units, and new versions of the units closed above (version = last version + 1).
-- A new version keeps the previous version's values of the fields the file does not map ($3).
INSERT INTO admin_unit (level, code, parent_code, name_ar, name_fr, name_en, attrs, version, source, geom)
SELECT $1, s.key,
       CASE WHEN 'parent_code' = ANY($3) THEN s.data->>'parent_code' ELSE prev.parent_code END,
       CASE WHEN 'name_ar' = ANY($3) THEN s.data->>'name_ar' ELSE prev.name_ar END,
       CASE WHEN 'name_fr' = ANY($3) THEN s.data->>'name_fr' ELSE prev.name_fr END,
       CASE WHEN 'name_en' = ANY($3) THEN s.data->>'name_en' ELSE prev.name_en END,
       coalesce(prev.attrs, '{}'::jsonb) || s.attrs,
       coalesce(prev.version, 0) + 1,
       $2, s.geom
FROM mk_stage s
LEFT JOIN LATERAL (
    SELECT v.* FROM admin_unit v WHERE v.level = $1 AND v.code = s.key ORDER BY v.version DESC LIMIT 1
) prev ON true
WHERE s.reject IS NULL
  AND NOT EXISTS (SELECT 1 FROM admin_unit u WHERE u.level = $1 AND u.code = s.key AND u.valid_to IS NULL)
ORDER BY s.ord
RETURNING code, version
