-- A statement changed units: a location standing for a unit is drawn as that unit and placed by
-- its label point, so mark every zoom-10 cell under the box of each municipality, delegation or
-- governorate whose geometry, validity, code or level changed, before and after (a superset of
-- the cells its locations count in; boundary edits are rare). Called by the triggers
-- tile_cells_ins, tile_cells_upd, tile_cells_del on admin_unit, created below.
CREATE OR REPLACE FUNCTION mk_trg_tile_cells_unit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    rows text := mk_changed_rows(TG_OP);
    marked bigint;
BEGIN
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
    GET DIAGNOSTICS marked = ROW_COUNT;
    IF marked > 0 THEN
        INSERT INTO tile_cell_dirty (xact) VALUES (pg_current_xact_id()) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER tile_cells_ins AFTER INSERT ON admin_unit
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_tile_cells_unit();
CREATE OR REPLACE TRIGGER tile_cells_upd AFTER UPDATE ON admin_unit
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_tile_cells_unit();
CREATE OR REPLACE TRIGGER tile_cells_del AFTER DELETE ON admin_unit
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_tile_cells_unit();
