-- The unit $1/$2 valid at $3 (NULL: now): its governorate code, or nothing.
SELECT CASE u.level WHEN 'governorate' THEN u.code
                    WHEN 'sector' THEN (SELECT d.parent_code FROM admin_unit d WHERE d.level = 'delegation'
                                        AND d.code = u.parent_code ORDER BY d.valid_to IS NULL DESC, d.version DESC LIMIT 1)
                    ELSE u.parent_code END
FROM admin_unit u
WHERE u.level = $1 AND u.code = $2
  AND (($3::timestamptz IS NULL AND u.valid_to IS NULL)
    OR ($3 IS NOT NULL AND u.valid_from <= $3 AND (u.valid_to IS NULL OR u.valid_to > $3)))
