-- Units of every level that contain the point ($1 lon, $2 lat, EPSG:4326), current versions.
-- Rule on shared boundaries: ST_Intersects (boundary counts as inside), then per level the lowest
-- code in byte order ("C" collation) wins, so a point on an edge always gets the same single unit.
SELECT u.level, u.code, u.name_ar, u.name_fr, u.name_en, u.version, u.parent_code
FROM (
    SELECT DISTINCT ON (level) level, code, name_ar, name_fr, name_en, version, parent_code
    FROM admin_unit
    WHERE valid_to IS NULL
      AND ST_Intersects(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326))
    ORDER BY level, code COLLATE "C"
) u
JOIN admin_level l USING (level)
ORDER BY l.hierarchy = 'municipal', l.hierarchy, l.depth
