-- 100,000 project locations over Tunisia for the planning benchmark, deterministic (fixed seeds):
-- 70 % of the anchor points spread by municipal population, 30 % by area; 60 % points, 25 % lines
-- (two segments of up to ~3 km each, so many cross a boundary), 15 % polygons (200 m to 1.7 km
-- across); precision 90 % exact, 5 % approximate, 3 % municipality-level, 2 % national.
-- 20,000 projects of 5 locations each, with budgets, funding lines, statuses, types and themes.
\set ON_ERROR_STOP on
SELECT setseed(0.42);

DROP TABLE IF EXISTS bench_anchor;
CREATE TABLE bench_anchor AS
WITH m AS (
    SELECT u.code, u.geom, p.population::float8 / sum(p.population) OVER () AS w
    FROM admin_unit u JOIN population p ON p.level = 'municipality' AND p.code = u.code
    WHERE u.level = 'municipality' AND u.valid_to IS NULL
), g AS (
    SELECT u.code, u.geom, u.area_km2 / sum(u.area_km2) OVER () AS w
    FROM admin_unit u WHERE u.level = 'governorate' AND u.valid_to IS NULL
), pts AS (
    SELECT (ST_Dump(ST_GeneratePoints(m.geom, greatest(1, round(71000 * m.w))::int, 42))).geom AS geom FROM m
    UNION ALL
    SELECT (ST_Dump(ST_GeneratePoints(g.geom, greatest(1, round(31000 * g.w))::int, 43))).geom FROM g
)
SELECT geom FROM pts ORDER BY ST_X(geom), ST_Y(geom);

DROP TABLE IF EXISTS bench_loc;
CREATE TABLE bench_loc AS
WITH a AS (
    SELECT row_number() OVER (ORDER BY random()) AS n, geom FROM bench_anchor
), r AS (
    SELECT a.n, a.geom, random() AS k, random() AS q, random() AS s,
           (random() - 0.5) * 0.06 AS dx1, (random() - 0.5) * 0.06 AS dy1,
           (random() - 0.5) * 0.06 AS dx2, (random() - 0.5) * 0.06 AS dy2
    FROM a WHERE a.n <= 100000
), munis AS (
    SELECT array_agg(code ORDER BY code) AS codes FROM admin_unit WHERE level = 'municipality' AND valid_to IS NULL
)
SELECT r.n,
       CASE WHEN r.k < 0.60 THEN r.geom
            WHEN r.k < 0.85 THEN ST_MakeLine(ARRAY[r.geom, ST_Translate(r.geom, r.dx1, r.dy1),
                                                    ST_Translate(r.geom, r.dx1 + r.dx2, r.dy1 + r.dy2)])
            ELSE ST_Buffer(r.geom::geography, 100 + r.s * 750, 'quad_segs=2')::geometry END AS geom,
       CASE WHEN r.q < 0.90 THEN 'exact' WHEN r.q < 0.95 THEN 'approximate'
            WHEN r.q < 0.98 THEN 'municipality' ELSE 'national' END AS precision,
       CASE WHEN r.q >= 0.95 AND r.q < 0.98 THEN munis.codes[1 + (r.n % cardinality(munis.codes))::int] END AS unit_code
FROM r, munis;

DROP TABLE IF EXISTS bench_project;
CREATE TABLE bench_project AS
SELECT i AS n, 'BENCH-' || lpad(i::text, 5, '0') AS code,
       (ARRAY['road', 'network', 'building', 'facility', 'programme'])[1 + (i % 5)] AS project_type,
       (ARRAY['water', 'transport', 'education', 'health', 'environment', 'energy', 'urban_development', 'agriculture'])[1 + (i % 8)] AS theme,
       (ARRAY['identified', 'planned', 'approved', 'financed', 'in_procurement', 'works_under_way', 'completed', 'suspended'])[1 + (i % 8)] AS status,
       round((10000 + random() * 5000000)::numeric, 3) AS budget,
       date '2015-01-01' + (random() * 3000)::int AS planned_start,
       (ARRAY['world-bank', 'giz', 'undp', 'cpscl', 'municipal'])[1 + (i % 5)] AS partner
FROM generate_series(1, 20000) AS i;
SELECT count(*) AS locations, count(*) FILTER (WHERE ST_Dimension(geom) = 0) AS points,
       count(*) FILTER (WHERE ST_Dimension(geom) = 1) AS lines, count(*) FILTER (WHERE ST_Dimension(geom) = 2) AS polygons
FROM bench_loc;
