-- 100,000 proposals over every municipality (bench only), by population; tagged in bulk afterwards
-- (the per-row tagging trigger is skipped so that generating does not take the benchmark's time).
\set ON_ERROR_STOP on
SELECT setseed(0.9);
SET session_replication_role = replica;
WITH w AS (
    SELECT u.code, u.geom, p.population::float8 / sum(p.population) OVER () AS w
    FROM admin_unit u JOIN population p ON p.level = 'municipality' AND p.code = u.code
    WHERE u.level = 'municipality' AND u.valid_to IS NULL
), pts AS (
    SELECT w.code, (ST_Dump(ST_GeneratePoints(w.geom, greatest(1, ceil(100000 * w.w))::int, 9))).geom AS geom FROM w
)
INSERT INTO proposal (theme, lang, title, body, geom, state, edit_token_sha256, municipality_code)
SELECT (ARRAY['roads','lighting','waste','green_spaces','water_sanitation','mobility','health','education'])[1 + g % 8],
       CASE WHEN g % 3 = 0 THEN 'ar' ELSE 'fr' END, 'Proposition nationale ' || g, 'Texte généré',
       geom, (ARRAY['published','published','published','evaluating','accepted','rejected','withdrawn'])[1 + g % 7],
       md5(g::text), code
FROM (SELECT row_number() OVER () AS g, code, geom FROM pts) p WHERE g <= 100000;
SET session_replication_role = origin;
ANALYZE proposal;
