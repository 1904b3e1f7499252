-- Units whose boundary changed: close the current version (a new one is inserted next) on the day
-- the new one becomes valid: its feature's valid_from, else $2 (--valid-from), else now.
UPDATE admin_unit u
SET valid_to = greatest(u.valid_from,
                        coalesce(((s.data->>'valid_from')::date::timestamp AT TIME ZONE 'Africa/Tunis'), $2::timestamptz, now()))
FROM mk_stage s
WHERE s.reject IS NULL
  AND u.level = $1 AND u.code = s.key AND u.valid_to IS NULL
  AND ST_AsBinary(u.geom) <> ST_AsBinary(s.geom)
RETURNING u.code
