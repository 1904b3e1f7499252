-- Same boundary, changed names/parent/attributes/source: update the current version in place.
UPDATE admin_unit u
SET parent_code = s.data->>'parent_code',
    name_ar     = s.data->>'name_ar',
    name_fr     = s.data->>'name_fr',
    name_en     = s.data->>'name_en',
    attrs       = s.attrs,
    source      = $2
FROM mk_stage s
WHERE s.reject IS NULL
  AND u.level = $1 AND u.code = s.key AND u.valid_to IS NULL
  AND (u.parent_code, u.name_ar, u.name_fr, u.name_en, u.attrs, u.source)
      IS DISTINCT FROM
      (s.data->>'parent_code', s.data->>'name_ar', s.data->>'name_fr', s.data->>'name_en', s.attrs, $2::text)
RETURNING u.code
