-- The statement marking, for this transaction, the zoom-10 cells (mk_tile_cell) holding the cell
-- points an anonymous caller may see for the project locations `rows` selects (an SQL text over
-- rows of project_location, such as a trigger's transition table): the point of the public
-- geometry (mk_tile_cell_point), and the label point of the unit a location stands for. A
-- superset of the cells the rows count in, whatever their visibility: mk_tile_cells_store
-- recomputes them at commit (mk_trg_tile_cells_flush), once per transaction. A text for the
-- trigger functions to EXECUTE: transition tables are visible only to their own trigger function.
CREATE OR REPLACE FUNCTION mk_tile_cells_mark(rows text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT format(
        'WITH m AS (INSERT INTO tile_cell_mark (xact, cx, cy)
         SELECT DISTINCT pg_current_xact_id(), k.cx, k.cy FROM (
             SELECT mk_tile_cell_point(c.public_geom_3857, NULL) AS pt FROM (%1$s) c
             WHERE c.public_geom_3857 IS NOT NULL
             UNION ALL
             SELECT mk_tile_cell_point(NULL, l.geom) FROM (%1$s) c
             JOIN admin_unit u ON u.level = c.precision AND u.valid_to IS NULL
                 AND (u.code = c.unit_code OR (c.unit_code IS NULL AND ST_Intersects(u.geom, c.geom)))
             JOIN tile_admin_label l ON l.unit_id = u.id) m, LATERAL mk_tile_cell(m.pt, 10) k
         WHERE k.cx IS NOT NULL
         ON CONFLICT DO NOTHING RETURNING 1)
         INSERT INTO tile_cell_dirty (xact) SELECT pg_current_xact_id() WHERE EXISTS (SELECT 1 FROM m)
         ON CONFLICT DO NOTHING', rows)
$$;
