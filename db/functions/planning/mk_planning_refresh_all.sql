-- Everything, from scratch (after a migration, and once a day because delays depend on the date).
CREATE OR REPLACE FUNCTION mk_planning_refresh_all() RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    DELETE FROM project_monitor;
    INSERT INTO project_monitor (project_id, status, physical_pct, committed_tnd, paid_tnd, reports, last_report,
                                 execution_rate, start_delay_days, end_delay_days, delayed, blocked, blocked_cause)
    SELECT * FROM mk_project_state(NULL, NULL);
    DELETE FROM unit_indicator;
    INSERT INTO unit_indicator (level, bucket, unit_code, reason, project_count, budget_tnd, beneficiaries,
                                committed_tnd, paid_tnd, projects_with_progress, delayed_count, blocked_count,
                                by_theme, by_status, by_funding)
    SELECT c.* FROM (SELECT DISTINCT a.level FROM project_apportionment a UNION SELECT 'national') l,
         LATERAL mk_indicators_compute(l.level, NULL, NULL) c;
END $$;
