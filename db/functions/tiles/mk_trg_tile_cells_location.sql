-- A statement changed project locations: mark the cells their old and new rows count in
-- (mk_tile_cells_mark); TRUNCATE marks every stored cell. Called by the triggers
-- tile_cells_ins, tile_cells_upd, tile_cells_del, tile_cells_truncate, created below.
CREATE OR REPLACE FUNCTION mk_trg_tile_cells_location() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        INSERT INTO tile_cell_mark (xact, cx, cy)
        SELECT pg_current_xact_id(), cx, cy FROM tile_cell WHERE z = 10 ON CONFLICT DO NOTHING;
        INSERT INTO tile_cell_dirty (xact) VALUES (pg_current_xact_id()) ON CONFLICT DO NOTHING;
    ELSE
        EXECUTE mk_tile_cells_mark(mk_changed_rows(TG_OP));
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER tile_cells_ins AFTER INSERT ON project_location
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_tile_cells_location();
CREATE OR REPLACE TRIGGER tile_cells_upd AFTER UPDATE ON project_location
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_tile_cells_location();
CREATE OR REPLACE TRIGGER tile_cells_del AFTER DELETE ON project_location
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_tile_cells_location();
CREATE OR REPLACE TRIGGER tile_cells_truncate AFTER TRUNCATE ON project_location
    FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_tile_cells_location();
