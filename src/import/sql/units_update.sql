-- Same boundary, changed names/parent/attributes/source/validity: update the current version in
-- place. $5: the canonical fields the file maps; the others keep their value. attrs are merged
-- (the file's keys win, keys it does not carry are kept). Validity changes only when the file
-- gives it ($3/$4 = --valid-from/--valid-to, or the feature's valid_from/valid_to); the start
-- never moves before the end of the previous version.
WITH d AS (
    SELECT s.key, s.data, s.attrs,
           coalesce(((s.data->>'valid_from')::date::timestamp AT TIME ZONE 'Africa/Tunis'), $3::timestamptz) AS vf,
           coalesce(((s.data->>'valid_to')::date::timestamp AT TIME ZONE 'Africa/Tunis'), $4::timestamptz) AS vt
    FROM mk_stage s WHERE s.reject IS NULL
)
UPDATE admin_unit u
SET parent_code = CASE WHEN 'parent_code' = ANY($5) THEN d.data->>'parent_code' ELSE u.parent_code END,
    name_ar     = CASE WHEN 'name_ar' = ANY($5) THEN d.data->>'name_ar' ELSE u.name_ar END,
    name_fr     = CASE WHEN 'name_fr' = ANY($5) THEN d.data->>'name_fr' ELSE u.name_fr END,
    name_en     = CASE WHEN 'name_en' = ANY($5) THEN d.data->>'name_en' ELSE u.name_en END,
    attrs       = u.attrs || d.attrs,
    source      = $2,
    valid_from  = greatest(coalesce(d.vf, u.valid_from),
                           (SELECT max(v.valid_to) FROM admin_unit v WHERE v.level = $1 AND v.code = u.code AND v.id <> u.id)),
    valid_to    = d.vt
FROM d
WHERE u.level = $1 AND u.code = d.key AND u.valid_to IS NULL
  AND (u.parent_code, u.name_ar, u.name_fr, u.name_en, u.attrs, u.source, u.valid_from, u.valid_to)
      IS DISTINCT FROM
      (CASE WHEN 'parent_code' = ANY($5) THEN d.data->>'parent_code' ELSE u.parent_code END,
       CASE WHEN 'name_ar' = ANY($5) THEN d.data->>'name_ar' ELSE u.name_ar END,
       CASE WHEN 'name_fr' = ANY($5) THEN d.data->>'name_fr' ELSE u.name_fr END,
       CASE WHEN 'name_en' = ANY($5) THEN d.data->>'name_en' ELSE u.name_en END,
       u.attrs || d.attrs, $2::text,
       coalesce(d.vf, u.valid_from), d.vt)
RETURNING u.code
