-- 50,000 land-use zones (bench only) in one zoning-plan layer: every municipality cut by a grid of
-- about 2 km, as a zoning plan covers its territory (zones touch, no gaps), classes cycling over
-- the land-use classes.
\set ON_ERROR_STOP on
INSERT INTO landuse_layer (slug, name, kind, source) VALUES ('bench-national', 'Banc national', 'zoning_plan', 'bench')
ON CONFLICT DO NOTHING;
WITH cells AS (
    SELECT u.code, ST_Multi(ST_CollectionExtract(ST_Intersection(u.geom, c.geom), 3)) AS geom
    FROM admin_unit u, LATERAL ST_SquareGrid(0.018, u.geom) c
    WHERE u.level = 'municipality' AND u.valid_to IS NULL AND ST_Intersects(u.geom, c.geom)
), classes AS (SELECT array_agg(class ORDER BY class) AS c FROM landuse_class)
INSERT INTO landuse_zone (layer_id, source_id, zone_code, class, municipality_code, label_fr, geom)
SELECT (SELECT id FROM landuse_layer WHERE slug = 'bench-national'), 'bench-' || k, 'Z' || k,
       classes.c[1 + k % cardinality(classes.c)], code, 'Zone ' || k, geom
FROM (SELECT row_number() OVER (ORDER BY code, ST_XMin(geom), ST_YMin(geom)) AS k, code, geom
      FROM cells WHERE NOT ST_IsEmpty(geom)) z, classes
WHERE k <= 50000;
