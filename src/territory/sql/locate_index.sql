-- What the in-memory locate index holds (src/territory/index.rs): every piece of every current
-- unit (admin_unit_piece, at most 64 vertices each), with its unit's attributes and the order of
-- its level (state hierarchy shallow to deep, then municipal). Coordinates with 15 decimals, so
-- they read back as the same doubles.
SELECT p.unit_id, p.level, p.code, a.name_ar, a.name_fr, a.name_en, a.version, a.parent_code,
       (l.hierarchy = 'municipal') AS municipal, l.hierarchy, l.depth,
       ST_AsGeoJSON(p.geom, 15) AS geom
FROM admin_unit_piece p
JOIN admin_unit a ON a.id = p.unit_id
JOIN admin_level l ON l.level = p.level
