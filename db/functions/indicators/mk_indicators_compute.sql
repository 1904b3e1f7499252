-- Indicator figures per unit (bucket = unit code) or per unallocated reason (bucket '~national',
-- '~outside', '~coarser_precision', '~no_location'), per level; level 'national', bucket 'TN': the
-- whole country. Public projects only. `t` NULL: now, from the caches; else as of t, recomputed.
-- Cancelled projects (status at t) are not in the counts, budget, beneficiaries, committed, paid,
-- progress, delayed, blocked, by_theme and by_funding; by_status still lists them (key
-- "cancelled"): that is their separate count. Budget per inhabitant and execution rates, derived
-- from these, exclude them too.
CREATE OR REPLACE FUNCTION mk_indicators_compute(lv text, buckets text[], t timestamptz)
RETURNS TABLE (level text, bucket text, unit_code text, reason text, project_count int, budget_tnd numeric,
               beneficiaries bigint, committed_tnd numeric, paid_tnd numeric, projects_with_progress int,
               delayed_count int, blocked_count int, by_theme jsonb, by_status jsonb, by_funding jsonb)
LANGUAGE sql STABLE AS $$
WITH st AS MATERIALIZED (
    SELECT m.project_id, m.status, m.reports, m.delayed, m.blocked, m.committed_tnd, m.paid_tnd
    FROM project_monitor m WHERE t IS NULL
    UNION ALL
    SELECT s.project_id, s.status, s.reports, s.delayed, s.blocked, s.committed_tnd, s.paid_tnd
    FROM mk_project_state(NULL, t) s WHERE t IS NOT NULL
), ap AS (
    SELECT a.project_id, a.bucket, a.unit_code, a.reason, a.budget_tnd, a.beneficiaries, a.committed_tnd, a.paid_tnd
    FROM project_apportionment a
    WHERE t IS NULL AND lv <> 'national' AND a.level = lv AND (buckets IS NULL OR a.bucket IN (SELECT unnest(buckets)))
    UNION ALL
    SELECT a.project_id, a.bucket, a.unit_code, a.reason, a.budget_tnd, a.beneficiaries, a.committed_tnd, a.paid_tnd
    FROM mk_apportion_compute(NULL, t) a
    WHERE t IS NOT NULL AND lv <> 'national' AND a.level = lv AND (buckets IS NULL OR a.bucket IN (SELECT unnest(buckets)))
    UNION ALL
    SELECT p.id, 'TN', 'TN', NULL, p.budget_tnd, p.beneficiaries, st.committed_tnd, st.paid_tnd
    FROM project p JOIN st ON st.project_id = p.id
    WHERE lv = 'national'
), base AS MATERIALIZED (
    SELECT ap.*, coalesce(p.theme, 'unspecified') AS theme, st.status, st.reports, st.delayed, st.blocked,
           st.status <> 'cancelled' AS counted
    FROM ap JOIN project p ON p.id = ap.project_id AND p.is_public
    JOIN st ON st.project_id = ap.project_id
), fund AS (
    SELECT f.bucket, f.source_kind, sum(f.amount_tnd) AS amount
    FROM (SELECT fa.project_id, fa.bucket, fa.source_kind, fa.amount_tnd FROM funding_apportionment fa
          WHERE t IS NULL AND lv <> 'national' AND fa.level = lv AND (buckets IS NULL OR fa.bucket IN (SELECT unnest(buckets)))
          UNION ALL
          SELECT fa.project_id, fa.bucket, fa.source_kind, fa.amount_tnd FROM mk_funding_apportion_compute(NULL, t) fa
          WHERE t IS NOT NULL AND lv <> 'national' AND fa.level = lv AND (buckets IS NULL OR fa.bucket IN (SELECT unnest(buckets)))
          UNION ALL
          SELECT fl.project_id, 'TN', fl.source_kind, fl.amount_tnd FROM funding_line fl
          WHERE lv = 'national') f
    JOIN base b ON b.project_id = f.project_id AND b.bucket = f.bucket AND b.counted
    GROUP BY 1, 2
), tot AS (
    SELECT b.bucket, min(b.unit_code) AS unit_code, min(b.reason) AS reason,
           count(*) FILTER (WHERE b.counted)::int AS n,
           coalesce(sum(b.budget_tnd) FILTER (WHERE b.counted), 0) AS budget,
           coalesce(sum(b.beneficiaries) FILTER (WHERE b.counted), 0)::bigint AS ben,
           coalesce(sum(b.committed_tnd) FILTER (WHERE b.counted), 0) AS committed,
           coalesce(sum(b.paid_tnd) FILTER (WHERE b.counted), 0) AS paid,
           count(*) FILTER (WHERE b.counted AND b.reports > 0)::int AS wp,
           count(*) FILTER (WHERE b.counted AND b.delayed)::int AS dl,
           count(*) FILTER (WHERE b.counted AND b.blocked)::int AS bl
    FROM base b GROUP BY b.bucket
), th AS (
    SELECT x.bucket, jsonb_object_agg(x.theme, jsonb_build_object('projects', x.n, 'budget_tnd', x.b)) AS j
    FROM (SELECT b.bucket, b.theme, count(*) AS n, coalesce(sum(b.budget_tnd), 0) AS b FROM base b
          WHERE b.counted GROUP BY 1, 2) x
    GROUP BY x.bucket
), ss AS (
    SELECT x.bucket, jsonb_object_agg(x.status, jsonb_build_object('projects', x.n, 'budget_tnd', x.b)) AS j
    FROM (SELECT b.bucket, b.status, count(*) AS n, coalesce(sum(b.budget_tnd), 0) AS b FROM base b GROUP BY 1, 2) x
    GROUP BY x.bucket
), fu AS (
    SELECT fund.bucket, jsonb_object_agg(fund.source_kind, fund.amount) AS j FROM fund GROUP BY fund.bucket
)
SELECT lv, tot.bucket, tot.unit_code, tot.reason, tot.n, tot.budget, tot.ben, tot.committed, tot.paid, tot.wp,
       tot.dl, tot.bl, coalesce(th.j, '{}'), coalesce(ss.j, '{}'), coalesce(fu.j, '{}')
FROM tot LEFT JOIN th ON th.bucket = tot.bucket LEFT JOIN ss ON ss.bucket = tot.bucket
LEFT JOIN fu ON fu.bucket = tot.bucket
$$;
