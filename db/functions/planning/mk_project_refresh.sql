-- Recompute everything derived from projects for `pids`: apportionment, funding apportionment,
-- monitoring state, then the indicator rows of every bucket they were or are in.
-- Inside an API write (mokhattat.defer_refresh = on) the projects are only noted, and
-- mk_refresh_flush refreshes them once, just before commit.
CREATE OR REPLACE FUNCTION mk_project_refresh(pids bigint[]) RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    keys text[];
BEGIN
    pids := array(SELECT DISTINCT x FROM unnest(pids) AS x WHERE x IS NOT NULL ORDER BY x);
    IF cardinality(pids) = 0 THEN
        RETURN;
    END IF;
    -- an API write (projects::rules::write_tx) refreshes once, just before it commits
    -- (mk_refresh_flush), instead of once per statement
    IF current_setting('mokhattat.defer_refresh', true) = 'on' THEN
        CREATE TEMP TABLE IF NOT EXISTS mk_refresh_pending OF mk_refresh_pending_row ON COMMIT DROP;
        INSERT INTO mk_refresh_pending SELECT unnest(pids);
        RETURN;
    END IF;
    PERFORM mk_write_lock();
    keys := array(SELECT DISTINCT a.level || '|' || a.bucket FROM project_apportionment a
                  JOIN unnest(pids) AS i(id) ON a.project_id = i.id);
    DELETE FROM project_apportionment a USING unnest(pids) AS i(id) WHERE a.project_id = i.id;
    DELETE FROM funding_apportionment a USING unnest(pids) AS i(id) WHERE a.project_id = i.id;
    DELETE FROM project_monitor m USING unnest(pids) AS i(id) WHERE m.project_id = i.id;
    INSERT INTO project_apportionment SELECT * FROM mk_apportion_compute(pids, NULL);
    INSERT INTO funding_apportionment SELECT * FROM mk_funding_apportion_compute(pids, NULL);
    INSERT INTO project_monitor (project_id, status, physical_pct, committed_tnd, paid_tnd, reports, last_report,
                                 execution_rate, start_delay_days, end_delay_days, delayed, blocked, blocked_cause)
    SELECT * FROM mk_project_state(pids, NULL);
    keys := keys || array(SELECT DISTINCT a.level || '|' || a.bucket FROM project_apportionment a
                          JOIN unnest(pids) AS i(id) ON a.project_id = i.id);
    PERFORM mk_indicators_refresh(keys);
END $$;
