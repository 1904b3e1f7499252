-- Metadata of the current version of a layer; only what was given changes.
UPDATE landuse_layer
SET name              = coalesce($2, name),
    kind              = coalesce($3, kind),
    municipality_code = coalesce($4, municipality_code),
    approved_on       = coalesce($5, approved_on),
    source            = $6
WHERE id = $1
  AND (name, kind, municipality_code, approved_on, source)
      IS DISTINCT FROM
      (coalesce($2, name), coalesce($3, kind), coalesce($4, municipality_code), coalesce($5, approved_on), $6::text)
RETURNING id
