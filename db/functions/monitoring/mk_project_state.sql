-- What monitoring derives per project at `t`: status, execution, delay, blocked flag with cause.
-- Delay: an open project (not completed or cancelled) is late when the reference date is past its
-- planned end, or past its planned start while works have not started; a completed project's delay
-- is actual end − planned end. Blocked: suspended, or the latest progress report says so, or no
-- physical progress between the last two reports (180 days or more apart) while works are under way.
CREATE OR REPLACE FUNCTION mk_project_state(pids bigint[], t timestamptz)
RETURNS TABLE (project_id bigint, status text, physical_pct numeric, committed_tnd numeric, paid_tnd numeric,
               reports int, last_report date, execution_rate numeric, start_delay_days int, end_delay_days int,
               delayed boolean, blocked boolean, blocked_cause text)
LANGUAGE sql STABLE AS $$
WITH s AS (SELECT * FROM mk_project_status_at(pids, t)),
g AS (SELECT * FROM mk_project_progress(pids, t)),
d AS (
    SELECT p.id, s.status, s.status_note, g.*, mk_local_date(t) AS ref,
           ps.rank AS status_rank, p.planned_start, p.planned_end, p.actual_start, p.actual_end, p.budget_tnd
    FROM s JOIN project p ON p.id = s.project_id
    JOIN project_status ps ON ps.status = s.status
    LEFT JOIN g ON g.project_id = p.id
)
SELECT d.id, d.status, d.physical_pct, d.committed_tnd, d.paid_tnd, coalesce(d.reports, 0), d.last_report,
       CASE WHEN d.budget_tnd > 0 THEN round(coalesce(d.paid_tnd, 0) / d.budget_tnd, 4) END,
       CASE WHEN d.actual_start IS NOT NULL AND d.planned_start IS NOT NULL THEN d.actual_start - d.planned_start
            WHEN d.status IN ('identified', 'planned', 'approved', 'financed', 'in_procurement')
                 AND d.planned_start IS NOT NULL THEN greatest(d.ref - d.planned_start, 0) END,
       CASE WHEN d.status = 'completed' AND d.actual_end IS NOT NULL AND d.planned_end IS NOT NULL
                 THEN d.actual_end - d.planned_end
            WHEN d.status NOT IN ('completed', 'cancelled') AND d.planned_end IS NOT NULL
                 THEN greatest(d.ref - d.planned_end, 0) END,
       d.status NOT IN ('completed', 'cancelled') AND (
           (d.planned_end IS NOT NULL AND d.ref > d.planned_end)
        OR (d.status IN ('identified', 'planned', 'approved', 'financed', 'in_procurement')
            AND d.planned_start IS NOT NULL AND d.ref > d.planned_start)),
       d.status = 'suspended' OR (d.status NOT IN ('completed', 'cancelled') AND coalesce(d.report_blocked, false))
           OR (d.status = 'works_under_way' AND d.stalled_since IS NOT NULL),
       CASE WHEN d.status = 'suspended' THEN 'suspended' || coalesce(': ' || d.status_note, '')
            WHEN d.status NOT IN ('completed', 'cancelled') AND d.report_blocked
                 THEN 'reported blocked' || coalesce(': ' || d.report_blocked_cause, '')
            WHEN d.status = 'works_under_way' AND d.stalled_since IS NOT NULL
                 THEN 'no physical progress since ' || d.stalled_since END
FROM d
$$;
