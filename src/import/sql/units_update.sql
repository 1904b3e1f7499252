-- Same boundary, changed names/parent/attributes/source: update the current version in place.
-- $3: the canonical fields the file maps; the others keep their value. attrs are merged (the
-- file's keys win, keys it does not carry are kept).
UPDATE admin_unit u
SET parent_code = CASE WHEN 'parent_code' = ANY($3) THEN s.data->>'parent_code' ELSE u.parent_code END,
    name_ar     = CASE WHEN 'name_ar' = ANY($3) THEN s.data->>'name_ar' ELSE u.name_ar END,
    name_fr     = CASE WHEN 'name_fr' = ANY($3) THEN s.data->>'name_fr' ELSE u.name_fr END,
    name_en     = CASE WHEN 'name_en' = ANY($3) THEN s.data->>'name_en' ELSE u.name_en END,
    attrs       = u.attrs || s.attrs,
    source      = $2
FROM mk_stage s
WHERE s.reject IS NULL
  AND u.level = $1 AND u.code = s.key AND u.valid_to IS NULL
  AND (u.parent_code, u.name_ar, u.name_fr, u.name_en, u.attrs, u.source)
      IS DISTINCT FROM
      (CASE WHEN 'parent_code' = ANY($3) THEN s.data->>'parent_code' ELSE u.parent_code END,
       CASE WHEN 'name_ar' = ANY($3) THEN s.data->>'name_ar' ELSE u.name_ar END,
       CASE WHEN 'name_fr' = ANY($3) THEN s.data->>'name_fr' ELSE u.name_fr END,
       CASE WHEN 'name_en' = ANY($3) THEN s.data->>'name_en' ELSE u.name_en END,
       u.attrs || s.attrs, $2::text)
RETURNING u.code
