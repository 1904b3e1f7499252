-- The refresh an API write deferred (see mk_project_refresh), done once before it commits.
CREATE OR REPLACE FUNCTION mk_refresh_flush() RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    pids bigint[];
BEGIN
    PERFORM set_config('mokhattat.defer_refresh', 'off', true);
    IF to_regclass('pg_temp.mk_refresh_pending') IS NULL THEN
        RETURN;
    END IF;
    pids := array(SELECT DISTINCT id FROM mk_refresh_pending ORDER BY id);
    DELETE FROM mk_refresh_pending;
    PERFORM mk_project_refresh(pids);
END $$;
