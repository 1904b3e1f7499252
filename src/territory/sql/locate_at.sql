-- Same as locate_current.sql, with the versions valid at the instant $3:
-- valid_from <= $3 < valid_to (an open valid_to means still valid).
SELECT u.level, u.code, u.name_ar, u.name_fr, u.name_en, u.version, u.parent_code
FROM (
    SELECT DISTINCT ON (level) level, code, name_ar, name_fr, name_en, version, parent_code
    FROM admin_unit
    WHERE valid_from <= $3
      AND (valid_to IS NULL OR valid_to > $3)
      AND ST_Intersects(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326))
    ORDER BY level, code COLLATE "C", version DESC
) u
JOIN admin_level l USING (level)
ORDER BY l.hierarchy = 'municipal', l.hierarchy, l.depth
