-- 100,000 generated proposals (bench only, never in a real database): random points and small
-- drawn areas over the Grand Tunis municipalities, random themes and states, a few supports.
-- The per-row tagging trigger is skipped (session_replication_role = replica) and the tags are
-- set afterwards in bulk, so that generating does not take the benchmark's time.
-- :n is the number of proposals (psql -v n=100000).
SET session_replication_role = replica;
WITH box AS (SELECT 10.00 AS x0, 36.70 AS y0, 0.35 AS dx, 0.20 AS dy),
pts AS (
    SELECT g, ST_SetSRID(ST_MakePoint(x0 + random() * dx, y0 + random() * dy), 4326) AS pt
    FROM box, generate_series(1, :n) g
)
INSERT INTO proposal (theme, lang, title, body, geom, state, edit_token_sha256)
SELECT (ARRAY['roads','lighting','waste','green_spaces','water_sanitation','mobility','health','education'])[1 + g % 8],
       CASE WHEN g % 3 = 0 THEN 'ar' ELSE 'fr' END,
       'Proposition générée ' || g, 'Texte généré pour le banc d''essai',
       CASE WHEN g % 10 = 0 THEN ST_Buffer(pt, 0.0004, 2) ELSE pt END,
       (ARRAY['published','published','published','evaluating','accepted','rejected','withdrawn'])[1 + g % 7],
       md5(g::text)
FROM pts;
SET session_replication_role = origin;
UPDATE proposal p SET municipality_code = u.code
FROM admin_unit_current u
WHERE u.level = 'municipality' AND p.municipality_code IS NULL AND ST_Intersects(u.geom, p.geom);
INSERT INTO proposal_support (proposal_id, participant_sha256)
SELECT p.id, md5(p.id::text || '-' || k) FROM proposal p, generate_series(1, 3) k WHERE p.id % 5 = 0;
ANALYZE proposal;
ANALYZE proposal_support;
