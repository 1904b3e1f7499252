-- The monitoring of one project at `t` as JSON (what the API shows).
CREATE OR REPLACE FUNCTION mk_project_monitoring_json(pid bigint, t timestamptz) RETURNS json
LANGUAGE sql STABLE AS $$
SELECT json_build_object(
    'status', s.status, 'status_fr', ps.name_fr, 'status_ar', ps.name_ar, 'status_en', ps.name_en,
    'iati_activity_status', ps.iati_code,
    'next_statuses', (SELECT coalesce(json_agg(t2.to_status ORDER BY x.rank), '[]') FROM project_status_transition t2
                      JOIN project_status x ON x.status = t2.to_status WHERE t2.from_status = s.status),
    'budget_tnd', p.budget_tnd, 'physical_pct', s.physical_pct, 'committed_tnd', s.committed_tnd,
    'paid_tnd', s.paid_tnd, 'execution_rate', s.execution_rate, 'reports', s.reports, 'last_report', s.last_report,
    'planned_start', p.planned_start, 'planned_end', p.planned_end, 'actual_start', p.actual_start,
    'actual_end', p.actual_end, 'start_delay_days', s.start_delay_days, 'end_delay_days', s.end_delay_days,
    'delayed', s.delayed, 'blocked', s.blocked, 'blocked_cause', s.blocked_cause,
    'reference_date', mk_local_date(t))
FROM mk_project_state(ARRAY[pid], t) s
JOIN project p ON p.id = s.project_id
JOIN project_status ps ON ps.status = s.status
$$;
