-- The progress reports known for each project at `t` (NULL: now), by report date: latest figures
-- (each the latest non-empty one), report count, and the blocked flag a report can raise: the one
-- of the latest report that says something about it ("blocked": true or false); a report that does
-- not mention it leaves it as it was.
CREATE OR REPLACE FUNCTION mk_project_progress(pids bigint[], t timestamptz)
RETURNS TABLE (project_id bigint, reports int, last_report date, physical_pct numeric, committed_tnd numeric,
               paid_tnd numeric, report_blocked boolean, report_blocked_cause text, stalled_since date)
LANGUAGE sql STABLE AS $$
WITH r AS (
    SELECT e.project_id, e.id, e.physical_pct, e.committed_tnd, e.paid_tnd, e.data,
           coalesce((e.data->>'report_date')::date, mk_local_date(e.at)) AS rd
    FROM project_event e
    WHERE e.kind = 'progress' AND (pids IS NULL OR e.project_id IN (SELECT unnest(pids)))
      AND (t IS NULL OR e.at <= t)
), k AS (
    SELECT r.* FROM r WHERE t IS NULL OR r.rd <= mk_local_date(t)
), agg AS (
    SELECT k.project_id, count(*)::int AS reports, max(k.rd) AS last_report,
           (array_agg(k.physical_pct ORDER BY k.rd DESC, k.id DESC) FILTER (WHERE k.physical_pct IS NOT NULL))[1] AS physical_pct,
           (array_agg(k.committed_tnd ORDER BY k.rd DESC, k.id DESC) FILTER (WHERE k.committed_tnd IS NOT NULL))[1] AS committed_tnd,
           (array_agg(k.paid_tnd ORDER BY k.rd DESC, k.id DESC) FILTER (WHERE k.paid_tnd IS NOT NULL))[1] AS paid_tnd,
           (array_agg(k.data ORDER BY k.rd DESC, k.id DESC)
                FILTER (WHERE jsonb_typeof(k.data->'blocked') = 'boolean'))[1] AS last_data,
           (array_agg(k.physical_pct ORDER BY k.rd DESC, k.id DESC) FILTER (WHERE k.physical_pct IS NOT NULL))[1:2] AS last_two_pct,
           (array_agg(k.rd ORDER BY k.rd DESC, k.id DESC) FILTER (WHERE k.physical_pct IS NOT NULL)) AS pct_dates
    FROM k GROUP BY k.project_id
)
SELECT a.project_id, a.reports, a.last_report, a.physical_pct, a.committed_tnd, a.paid_tnd,
       coalesce((a.last_data->>'blocked')::boolean, false),
       CASE WHEN (a.last_data->>'blocked')::boolean THEN a.last_data->>'blocked_cause' END,
       CASE WHEN cardinality(a.last_two_pct) = 2 AND a.last_two_pct[1] <= a.last_two_pct[2]
                 AND a.pct_dates[1] - a.pct_dates[2] >= 180 THEN a.pct_dates[2] END
FROM agg a
$$;
