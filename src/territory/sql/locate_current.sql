-- Units of every level that contain the point ($1 lon, $2 lat, EPSG:4326), current versions.
-- Searches admin_unit_piece (current units cut by the database into pieces of at most 64 vertices,
-- kept by triggers; see migrations 0004/0005): a point-in-polygon test then reads a few small
-- polygons instead of detoasting 16,000-vertex governorates.
-- Rule on shared boundaries: ST_Intersects (boundary counts as inside), then per level the lowest
-- code in byte order ("C" collation) wins, so a point on an edge always gets the same single unit.
SELECT a.level, a.code, a.name_ar, a.name_fr, a.name_en, a.version, a.parent_code
FROM (
    SELECT DISTINCT ON (level) level, code, unit_id
    FROM admin_unit_piece
    WHERE ST_Intersects(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326))
    ORDER BY level, code COLLATE "C"
) p
JOIN admin_unit a ON a.id = p.unit_id
JOIN admin_level l ON l.level = p.level
ORDER BY l.hierarchy = 'municipal', l.hierarchy, l.depth
