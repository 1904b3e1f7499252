-- 50,000 land-use zones (bench only): squares of 150–600 m in every municipality, by population,
-- in one zoning-plan layer, classes cycling over the land-use classes.
\set ON_ERROR_STOP on
SELECT setseed(0.7);
INSERT INTO landuse_layer (slug, name, kind, source) VALUES ('bench-national', 'Banc national', 'zoning_plan', 'bench')
ON CONFLICT DO NOTHING;
WITH w AS (
    SELECT u.code, u.geom, p.population::float8 / sum(p.population) OVER () AS w
    FROM admin_unit u JOIN population p ON p.level = 'municipality' AND p.code = u.code
    WHERE u.level = 'municipality' AND u.valid_to IS NULL
), pts AS (
    SELECT w.code, (ST_Dump(ST_GeneratePoints(w.geom, greatest(1, ceil(50000 * w.w))::int, 7))).geom AS geom FROM w
), classes AS (SELECT array_agg(class ORDER BY class) AS c FROM landuse_class)
INSERT INTO landuse_zone (layer_id, source_id, zone_code, class, municipality_code, label_fr, geom)
SELECT (SELECT id FROM landuse_layer WHERE slug = 'bench-national'), 'bench-' || k, 'Z' || k,
       classes.c[1 + k % cardinality(classes.c)], code, 'Zone ' || k,
       ST_Multi(ST_Expand(geom, (0.0007 + random() * 0.002)))
FROM (SELECT row_number() OVER () AS k, code, geom FROM pts) z, classes
WHERE k <= 50000;
