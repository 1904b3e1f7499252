-- A statement changed projects: the locations of those whose anonymous visibility
-- (mk_project_visible, the one rule) or partner (an input of mk_location_geom) changed count
-- elsewhere now; mark their cells (mk_tile_cells_mark). A deleted project's locations go with it
-- (ON DELETE CASCADE), and their own trigger marks them. Called by the trigger tile_cells_upd on
-- project, created below.
CREATE OR REPLACE FUNCTION mk_trg_tile_cells_project() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM new_rows n JOIN old_rows o ON o.id = n.id
               WHERE mk_project_visible(o.id, o.is_public, o.partner, false, NULL, '{}')
                     IS DISTINCT FROM mk_project_visible(n.id, n.is_public, n.partner, false, NULL, '{}')
                  OR o.partner IS DISTINCT FROM n.partner) THEN
        EXECUTE mk_tile_cells_mark(
            'SELECT pl.* FROM project_location pl WHERE pl.project_id IN (
                 SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
                 WHERE mk_project_visible(o.id, o.is_public, o.partner, false, NULL, ''{}'')
                       IS DISTINCT FROM mk_project_visible(n.id, n.is_public, n.partner, false, NULL, ''{}'')
                    OR o.partner IS DISTINCT FROM n.partner)');
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER tile_cells_upd AFTER UPDATE ON project
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_tile_cells_project();
