-- At COMMIT (a deferred constraint trigger) of a transaction that marked cells
-- (mk_tile_cells_mark): recompute them, once per transaction, whatever the number of statements.
-- Called by the constraint trigger tile_cells_flush on tile_cell_dirty, created below.
CREATE OR REPLACE FUNCTION mk_trg_tile_cells_flush() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM tile_cell_dirty WHERE xact = NEW.xact;
    PERFORM mk_tile_cells_store(NEW.xact);
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS tile_cells_flush ON tile_cell_dirty;
CREATE CONSTRAINT TRIGGER tile_cells_flush AFTER INSERT ON tile_cell_dirty
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION mk_trg_tile_cells_flush();
