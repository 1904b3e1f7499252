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
), x AS (   -- each amount as a row: k names it, total is the project's figure, e its exact part
    SELECT f.project_id, f.level, f.bucket, a.k, a.total, a.e
    FROM f CROSS JOIN LATERAL (VALUES ('b', f.b, f.eb), ('n', f.n, f.en), ('c', f.c, f.ec), ('p', f.pd, f.ep)) a (k, total, e)
    WHERE a.total IS NOT NULL
), l AS (   -- each amount: floors, plus one unit to the largest remainders until the total is reached
    SELECT x.project_id, x.level, x.bucket, x.k,
           floor(x.e) + CASE WHEN row_number() OVER (PARTITION BY x.project_id, x.level, x.k ORDER BY x.e - floor(x.e) DESC, x.bucket)
                                   <= x.total - sum(floor(x.e)) OVER (PARTITION BY x.project_id, x.level, x.k) THEN 1 ELSE 0 END AS v
    FROM x
), v AS (
    SELECT l.project_id, l.level, l.bucket,
           max(l.v) FILTER (WHERE l.k = 'b') AS b, max(l.v) FILTER (WHERE l.k = 'n') AS n,
           max(l.v) FILTER (WHERE l.k = 'c') AS c, max(l.v) FILTER (WHERE l.k = 'p') AS p
    FROM l GROUP BY l.project_id, l.level, l.bucket
)
SELECT f.project_id, f.level, f.bucket, f.unit_code, f.reason, f.share,
       (v.b / 1000)::numeric(18, 3), v.n::bigint, (v.c / 1000)::numeric(18, 3), (v.p / 1000)::numeric(18, 3)
FROM f
LEFT JOIN v ON v.project_id = f.project_id AND v.level = f.level AND v.bucket = f.bucket
$$;
