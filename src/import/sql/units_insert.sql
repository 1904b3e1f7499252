-- New units, and new versions of the units closed above (version = last version + 1), valid from
-- the feature's valid_from, else $3 (--valid-from), else now; to the feature's valid_to, else $4.
-- A date is the first instant of that day in Tunisia (docs/dates.md).
-- A new version keeps the previous version's values of the fields the file does not map ($5).
INSERT INTO admin_unit (level, code, parent_code, name_ar, name_fr, name_en, attrs, version, source, geom,
                        valid_from, valid_to)
SELECT $1, s.key,
       CASE WHEN 'parent_code' = ANY($5) THEN s.data->>'parent_code' ELSE prev.parent_code END,
       CASE WHEN 'name_ar' = ANY($5) THEN s.data->>'name_ar' ELSE prev.name_ar END,
       CASE WHEN 'name_fr' = ANY($5) THEN s.data->>'name_fr' ELSE prev.name_fr END,
       CASE WHEN 'name_en' = ANY($5) THEN s.data->>'name_en' ELSE prev.name_en END,
       coalesce(prev.attrs, '{}'::jsonb) || s.attrs,
       coalesce(prev.version, 0) + 1,
       $2, s.geom,
       greatest(coalesce(((s.data->>'valid_from')::date::timestamp AT TIME ZONE 'Africa/Tunis'), $3::timestamptz, now()),
                (SELECT max(v.valid_to) FROM admin_unit v WHERE v.level = $1 AND v.code = s.key)),
       coalesce(((s.data->>'valid_to')::date::timestamp AT TIME ZONE 'Africa/Tunis'), $4::timestamptz)
FROM mk_stage s
LEFT JOIN LATERAL (
    SELECT v.* FROM admin_unit v WHERE v.level = $1 AND v.code = s.key ORDER BY v.version DESC LIMIT 1
) prev ON true
WHERE s.reject IS NULL
  AND NOT EXISTS (SELECT 1 FROM admin_unit u WHERE u.level = $1 AND u.code = s.key AND u.valid_to IS NULL)
ORDER BY s.ord
RETURNING code, version
