-- A statement changed a table the stored indicator rows are computed from (migration 0024): mark
-- the transaction, once; mk_trg_indicator_rows_flush stores the rows again just before it commits.
-- Called by the triggers indicator_rows_stale on admin_unit, population, unit_indicator,
-- unit_facility and unit_settlement, created below.
CREATE OR REPLACE FUNCTION mk_trg_indicator_inputs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO unit_indicator_stale (xact) VALUES (pg_current_xact_id()) ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER indicator_rows_stale AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON admin_unit
    FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_indicator_inputs();
CREATE OR REPLACE TRIGGER indicator_rows_stale AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON population
    FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_indicator_inputs();
CREATE OR REPLACE TRIGGER indicator_rows_stale AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON unit_indicator
    FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_indicator_inputs();
CREATE OR REPLACE TRIGGER indicator_rows_stale AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON unit_facility
    FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_indicator_inputs();
CREATE OR REPLACE TRIGGER indicator_rows_stale AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON unit_settlement
    FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_indicator_inputs();
