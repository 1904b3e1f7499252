-- A statement changed project locations or units: mark the zoom-10 cells of the stored cells
-- (tile_cell, migration 0030) it may have changed, for mk_trg_tile_cells_flush to recompute at
-- commit. Called by the triggers tile_cells_ins, tile_cells_upd, tile_cells_del (and, on
-- project_location, tile_cells_truncate), created below.
--   project_location: the cells its old and new rows count in (mk_tile_cells_mark); TRUNCATE
--     marks every stored cell.
--   admin_unit: a location standing for a unit is drawn as that unit and placed by its label
--     point, so every cell under the box of each municipality, delegation or governorate whose
--     geometry, validity, code or level changed, before and after (a superset of the cells its
--     locations count in; boundary edits are rare).
CREATE OR REPLACE FUNCTION mk_trg_tile_cells() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    rows text := CASE WHEN TG_OP = 'TRUNCATE' THEN NULL ELSE mk_changed_rows(TG_OP) END;
    marked bigint;
BEGIN
    IF TG_TABLE_NAME = 'project_location' AND TG_OP = 'TRUNCATE' THEN
        INSERT INTO tile_cell_mark (xact, cx, cy)
        SELECT pg_current_xact_id(), cx, cy FROM tile_cell WHERE z = 10 ON CONFLICT DO NOTHING;
    ELSIF TG_TABLE_NAME = 'project_location' THEN
        EXECUTE mk_tile_cells_mark(rows);
        RETURN NULL;
    ELSE
        IF TG_OP = 'UPDATE' THEN
            rows := 'SELECT c.* FROM new_rows c JOIN old_rows o ON o.id = c.id
                     WHERE (o.geom, o.valid_to, o.code, o.level) IS DISTINCT FROM (c.geom, c.valid_to, c.code, c.level)
                     UNION ALL
                     SELECT o.* FROM new_rows c JOIN old_rows o ON o.id = c.id
                     WHERE (o.geom, o.valid_to, o.code, o.level) IS DISTINCT FROM (c.geom, c.valid_to, c.code, c.level)';
        END IF;
        EXECUTE format(
            'INSERT INTO tile_cell_mark (xact, cx, cy)
             SELECT DISTINCT pg_current_xact_id(), gx, gy
             FROM (%s) c, LATERAL mk_tile_cell(ST_Point(ST_XMin(c.geom_3857), ST_YMax(c.geom_3857), 3857), 10) a,
                  LATERAL mk_tile_cell(ST_Point(ST_XMax(c.geom_3857), ST_YMin(c.geom_3857), 3857), 10) b,
                  generate_series(a.cx, b.cx) gx, generate_series(a.cy, b.cy) gy
             WHERE c.level IN (''municipality'', ''delegation'', ''governorate'')
             ON CONFLICT DO NOTHING', rows);
    END IF;
    GET DIAGNOSTICS marked = ROW_COUNT;
    IF marked > 0 THEN
        INSERT INTO tile_cell_dirty (xact) VALUES (pg_current_xact_id()) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;

-- the same three statement triggers on both tables
DO $$ DECLARE t text; BEGIN
    FOR t IN SELECT unnest(ARRAY['project_location', 'admin_unit']) LOOP
        EXECUTE format('CREATE OR REPLACE TRIGGER tile_cells_ins AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_tile_cells()', t);
        EXECUTE format('CREATE OR REPLACE TRIGGER tile_cells_upd AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows
                        NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_tile_cells()', t);
        EXECUTE format('CREATE OR REPLACE TRIGGER tile_cells_del AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_tile_cells()', t);
    END LOOP;
END $$;
CREATE OR REPLACE TRIGGER tile_cells_truncate AFTER TRUNCATE ON project_location
    FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_tile_cells();
