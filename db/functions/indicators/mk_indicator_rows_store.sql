-- Store the indicator rows of every current unit (unit_indicator_row, migration 0024): what
-- mk_unit_indicators(NULL, NULL) returns now. Run once before a transaction
-- that changed their inputs commits (mk_trg_indicator_rows_flush), and when mk_unit_indicators.sql
-- is applied. Serialized by its own lock, taken first, so that the rows a transaction stores see
-- every transaction that stored before it (READ COMMITTED: each statement below has a new snapshot).
CREATE OR REPLACE FUNCTION mk_indicator_rows_store() RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('mokhattat-indicator-rows'));
    DELETE FROM unit_indicator_row;
    INSERT INTO unit_indicator_row SELECT * FROM mk_unit_indicators(NULL, NULL);
END $$;
