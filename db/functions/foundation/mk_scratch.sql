-- A scratch table of this session, created empty (dropped at commit).
CREATE OR REPLACE FUNCTION mk_scratch(name text, columns text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF to_regclass('pg_temp.' || name) IS NOT NULL THEN
        EXECUTE format('DROP TABLE pg_temp.%I', name);
    END IF;
    EXECUTE format('CREATE TEMP TABLE %I (%s) ON COMMIT DROP', name, columns);
END $$;
