-- Overlaps between current units of one level ($1) where at least one unit was drawn by this import
-- ($2: new units and new versions):
-- pairs whose interiors intersect, with the shared area (km²). Adjacent units only touch.
SELECT a.code, b.code, ST_Area(ST_Intersection(a.geom, b.geom)::geography) / 1e6 AS km2
FROM admin_unit a
JOIN admin_unit b ON b.level = a.level AND b.valid_to IS NULL AND a.code < b.code
                 AND a.geom && b.geom
WHERE a.level = $1 AND a.valid_to IS NULL
  AND (a.code = ANY($2) OR b.code = ANY($2))
  AND ST_Relate(a.geom, b.geom, 'T********')
ORDER BY km2 DESC, a.code, b.code
