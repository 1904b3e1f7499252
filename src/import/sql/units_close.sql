-- Units whose boundary changed: close the current version (a new one is inserted next).
UPDATE admin_unit u
SET valid_to = now()
FROM mk_stage s
WHERE s.reject IS NULL
  AND u.level = $1 AND u.code = s.key AND u.valid_to IS NULL
  AND ST_AsBinary(u.geom) <> ST_AsBinary(s.geom)
RETURNING u.code
