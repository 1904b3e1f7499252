-- Budget, beneficiaries and the amounts committed and paid, apportioned by share with
-- largest-remainder rounding (to the millime, to the person), so that the parts of every project
-- add up exactly to its figure at every level.
CREATE OR REPLACE FUNCTION mk_apportion_compute(pids bigint[], t timestamptz)
RETURNS TABLE (project_id bigint, level text, bucket text, unit_code text, reason text, share numeric,
               budget_tnd numeric, beneficiaries bigint, committed_tnd numeric, paid_tnd numeric)
LANGUAGE sql STABLE AS $$
WITH f AS MATERIALIZED (
    SELECT s.project_id, s.level, s.bucket, s.unit_code, s.reason, s.share,
           p.budget_tnd * 1000 AS b, p.beneficiaries::numeric AS n, g.committed_tnd * 1000 AS c, g.paid_tnd * 1000 AS pd,
           p.budget_tnd * 1000 * s.share AS eb, p.beneficiaries * s.share AS en,
           g.committed_tnd * 1000 * s.share AS ec, g.paid_tnd * 1000 * s.share AS ep
    FROM mk_project_shares(pids, t) s
    JOIN project p ON p.id = s.project_id
    LEFT JOIN mk_project_progress(pids, t) g ON g.project_id = s.project_id
), lb AS (   -- each amount: floors, plus one unit to the largest remainders until the total is reached
    SELECT f.project_id, f.level, f.bucket,
           floor(f.eb) + CASE WHEN row_number() OVER (PARTITION BY f.project_id, f.level ORDER BY f.eb - floor(f.eb) DESC, f.bucket)
                                   <= f.b - sum(floor(f.eb)) OVER (PARTITION BY f.project_id, f.level) THEN 1 ELSE 0 END AS v
    FROM f WHERE f.b IS NOT NULL
), ln AS (
    SELECT f.project_id, f.level, f.bucket,
           floor(f.en) + CASE WHEN row_number() OVER (PARTITION BY f.project_id, f.level ORDER BY f.en - floor(f.en) DESC, f.bucket)
                                   <= f.n - sum(floor(f.en)) OVER (PARTITION BY f.project_id, f.level) THEN 1 ELSE 0 END AS v
    FROM f WHERE f.n IS NOT NULL
), lc AS (
    SELECT f.project_id, f.level, f.bucket,
           floor(f.ec) + CASE WHEN row_number() OVER (PARTITION BY f.project_id, f.level ORDER BY f.ec - floor(f.ec) DESC, f.bucket)
                                   <= f.c - sum(floor(f.ec)) OVER (PARTITION BY f.project_id, f.level) THEN 1 ELSE 0 END AS v
    FROM f WHERE f.c IS NOT NULL
), lp AS (
    SELECT f.project_id, f.level, f.bucket,
           floor(f.ep) + CASE WHEN row_number() OVER (PARTITION BY f.project_id, f.level ORDER BY f.ep - floor(f.ep) DESC, f.bucket)
                                   <= f.pd - sum(floor(f.ep)) OVER (PARTITION BY f.project_id, f.level) THEN 1 ELSE 0 END AS v
    FROM f WHERE f.pd IS NOT NULL
)
SELECT f.project_id, f.level, f.bucket, f.unit_code, f.reason, f.share,
       (lb.v / 1000)::numeric(18, 3), ln.v::bigint, (lc.v / 1000)::numeric(18, 3), (lp.v / 1000)::numeric(18, 3)
FROM f
LEFT JOIN lb ON lb.project_id = f.project_id AND lb.level = f.level AND lb.bucket = f.bucket
LEFT JOIN ln ON ln.project_id = f.project_id AND ln.level = f.level AND ln.bucket = f.bucket
LEFT JOIN lc ON lc.project_id = f.project_id AND lc.level = f.level AND lc.bucket = f.bucket
LEFT JOIN lp ON lp.project_id = f.project_id AND lp.level = f.level AND lp.bucket = f.bucket
$$;
