INSERT INTO landuse_layer (slug, name, kind, municipality_code, version, approved_on, source)
VALUES ($1, $2, $3, $4, $5, $6, $7)
RETURNING id
