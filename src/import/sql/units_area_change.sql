-- Area lost and gained (km²) by each unit whose boundary changed in this import ($2), against its
-- previous version.
SELECT n.code,
       ST_Area(ST_Difference(o.geom, n.geom)::geography) / 1e6 AS lost,
       ST_Area(ST_Difference(n.geom, o.geom)::geography) / 1e6 AS gained
FROM admin_unit n
JOIN admin_unit o ON o.level = n.level AND o.code = n.code AND o.version = n.version - 1
WHERE n.level = $1 AND n.valid_to IS NULL AND n.code = ANY($2)
ORDER BY n.code
