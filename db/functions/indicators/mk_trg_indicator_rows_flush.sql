-- At COMMIT (a deferred constraint trigger) of a transaction that changed the inputs of the
-- stored indicator rows (mk_trg_indicator_inputs): store them again, once per transaction,
-- whatever the number of statements. Called by the constraint trigger indicator_rows_flush on
-- unit_indicator_stale, created below.
CREATE OR REPLACE FUNCTION mk_trg_indicator_rows_flush() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM unit_indicator_stale WHERE xact = NEW.xact;
    PERFORM mk_indicator_rows_store();
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS indicator_rows_flush ON unit_indicator_stale;
CREATE CONSTRAINT TRIGGER indicator_rows_flush AFTER INSERT ON unit_indicator_stale
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION mk_trg_indicator_rows_flush();
