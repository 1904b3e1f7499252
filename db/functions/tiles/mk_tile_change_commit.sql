-- Stamp a tile change with the clock at its transaction's commit (a deferred constraint trigger
-- fires at COMMIT): an import that runs for minutes is dated when its changes become visible.
-- Called by the constraint trigger tile_change_commit on tile_change, created below.
CREATE OR REPLACE FUNCTION mk_tile_change_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tile_change SET at = clock_timestamp() WHERE source = NEW.source AND id = NEW.id;
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS tile_change_commit ON tile_change;
CREATE CONSTRAINT TRIGGER tile_change_commit AFTER INSERT ON tile_change
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION mk_tile_change_commit();
