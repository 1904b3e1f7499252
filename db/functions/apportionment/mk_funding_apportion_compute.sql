-- Funding lines apportioned the same way (each line to the millime), by the project's shares: the
-- stored ones now, recomputed as of `t`.
CREATE OR REPLACE FUNCTION mk_funding_apportion_compute(pids bigint[], t timestamptz)
RETURNS TABLE (funding_line_id bigint, project_id bigint, level text, bucket text, source_kind text, amount_tnd numeric)
LANGUAGE sql STABLE AS $$
WITH sh AS (
    SELECT a.project_id, a.level, a.bucket, a.share FROM project_apportionment a
    WHERE t IS NULL AND (pids IS NULL OR a.project_id IN (SELECT unnest(pids)))
    UNION ALL
    SELECT s.project_id, s.level, s.bucket, s.share FROM mk_project_shares(pids, t) s WHERE t IS NOT NULL
), f AS (
    SELECT fl.id AS line, fl.source_kind, sh.project_id, sh.level, sh.bucket, fl.amount_tnd * 1000 AS a,
           fl.amount_tnd * 1000 * sh.share AS ea
    FROM sh JOIN funding_line fl ON fl.project_id = sh.project_id
)
SELECT f.line, f.project_id, f.level, f.bucket, f.source_kind,
       ((floor(f.ea) + CASE WHEN row_number() OVER (PARTITION BY f.line, f.level ORDER BY f.ea - floor(f.ea) DESC, f.bucket)
                              <= f.a - sum(floor(f.ea)) OVER (PARTITION BY f.line, f.level) THEN 1 ELSE 0 END) / 1000)::numeric(18, 3)
FROM f
$$;
