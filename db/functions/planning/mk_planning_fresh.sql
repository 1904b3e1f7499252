-- Called before answering from the caches: recompute them when they date from an earlier day.
CREATE OR REPLACE FUNCTION mk_planning_fresh() RETURNS boolean
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM unit_indicator WHERE mk_local_date(computed_at) < mk_local_date(NULL))
       OR EXISTS (SELECT 1 FROM project_monitor WHERE mk_local_date(computed_at) < mk_local_date(NULL)) THEN
        PERFORM pg_advisory_xact_lock(hashtext('mokhattat-planning-refresh'));
        IF EXISTS (SELECT 1 FROM unit_indicator WHERE mk_local_date(computed_at) < mk_local_date(NULL))
           OR EXISTS (SELECT 1 FROM project_monitor WHERE mk_local_date(computed_at) < mk_local_date(NULL)) THEN
            PERFORM mk_planning_refresh_all();
            RETURN false;
        END IF;
    END IF;
    RETURN true;
END $$;
