-- 100,000 project locations over Tunisia for the planning benchmark, deterministic (fixed seeds):
-- the generator of bench/national (locations.sql: 60 % points, 25 % lines, 15 % polygons; 90 %
-- exact, 5 % approximate, 3 % municipality-level, 2 % national), as bench_loc.
-- 20,000 projects of 5 locations each, with budgets, funding lines, statuses, types and themes.
\set ON_ERROR_STOP on
\set from 0
\set to 100000
\ir ../national/locations.sql
DROP TABLE IF EXISTS bench_loc;
ALTER TABLE bench_nat_loc RENAME TO bench_loc;

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
