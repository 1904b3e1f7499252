-- A scratch table of this session, created empty (dropped at commit), of the row type `shape`
-- (`<name>_row`, declared in migration 0016): its columns have one definition, the type.
CREATE OR REPLACE FUNCTION mk_scratch(name text, shape regtype) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF to_regclass('pg_temp.' || name) IS NOT NULL THEN
        EXECUTE format('DROP TABLE pg_temp.%I', name);
    END IF;
    EXECUTE format('CREATE TEMP TABLE %I OF %s ON COMMIT DROP', name, shape);
END $$;
