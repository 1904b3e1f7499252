-- Synthetic national load on the real boundaries (bench only, never in a real database), added in
-- steps: psql -v from=K -v to=N adds locations K+1..N (bench/national/locations.sql, left in
-- bench_nat_loc; run.sh times the INSERT into project_location: assignment and all that the
-- database derives from it) and their projects, one per 5 locations. The 50,000 land-use zones
-- are zones.sql, the 100,000 proposals proposals.sql.
\set ON_ERROR_STOP on
\ir locations.sql
INSERT INTO project (code, title_fr, title_ar, project_type, theme, status, budget_tnd, planned_start, planned_end, partner)
SELECT 'NAT-' || lpad(i::text, 7, '0'), 'Projet national ' || i, 'مشروع ' || i,
       (ARRAY['road', 'network', 'building', 'facility', 'programme'])[1 + (i % 5)],
       (ARRAY['water', 'transport', 'education', 'health', 'environment', 'energy', 'urban_development', 'agriculture'])[1 + (i % 8)],
       (ARRAY['identified', 'planned', 'approved', 'financed', 'in_procurement', 'works_under_way', 'completed', 'suspended'])[1 + (i % 8)],
       round((10000 + random() * 5000000)::numeric, 3), date '2015-01-01' + (i % 3000), date '2017-01-01' + (i % 3000),
       (ARRAY['world-bank', 'giz', 'undp', 'cpscl', 'municipal'])[1 + (i % 5)]
FROM generate_series(:from / 5 + 1, :to / 5) i;
ANALYZE project;
