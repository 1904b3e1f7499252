-- Recompute the stored cells (tile_cell, migration 0030) under the zoom-10 cells transaction x
-- marked (tile_cell_mark), or every cell when x is NULL: zoom 13 from the rows the anonymous
-- caller sees drawn (mk_tile_cell_rows, placed by mk_tile_cell), each coarser zoom from the four
-- children of each cell it touches, so a cell is always the exact count of its rows (no
-- increments, no drift). Serialized by its own lock, taken first, so that the cells a transaction
-- stores see every transaction that stored before it (READ COMMITTED: each statement below reads
-- a new snapshot). Called by mk_trg_tile_cells_flush at commit, and at the end of this file.
CREATE OR REPLACE FUNCTION mk_tile_cells_store(x xid8) RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    zz int;
    marks int;
    world geometry := ST_MakeEnvelope(-20037508.35, -20037508.35, 20037508.35, 20037508.35, 3857);
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('mokhattat-tile-cells'));
    PERFORM mk_scratch('mk_cell_mark', 'mk_cell_mark_row');
    IF x IS NULL THEN
        DELETE FROM tile_cell;
        INSERT INTO tile_cell (z, cx, cy, n, sx, sy)
        SELECT 13, k.cx, k.cy, count(*), sum(round(ST_X(r.pt) * 1000)::bigint), sum(round(ST_Y(r.pt) * 1000)::bigint)
        FROM mk_tile_cell_rows(world, false, NULL, '{}') r, LATERAL mk_tile_cell(r.pt, 13) k
        GROUP BY k.cx, k.cy;
        INSERT INTO mk_cell_mark SELECT DISTINCT cx >> 3, cy >> 3 FROM tile_cell WHERE z = 13;
    ELSE
        WITH d AS (DELETE FROM tile_cell_mark m WHERE m.xact = x RETURNING m.cx, m.cy)
        INSERT INTO mk_cell_mark SELECT DISTINCT cx, cy FROM d;
        SELECT count(*) INTO marks FROM mk_cell_mark;
        ANALYZE mk_cell_mark;
        DELETE FROM tile_cell c USING mk_cell_mark m
        WHERE c.z = 13 AND c.cx BETWEEN m.cx * 8 AND m.cx * 8 + 7 AND c.cy BETWEEN m.cy * 8 AND m.cy * 8 + 7;
        -- a few cells: the rows of each (an index probe a cell); many (a bulk write): one pass
        IF marks <= 2000 THEN
            INSERT INTO tile_cell (z, cx, cy, n, sx, sy)
            SELECT 13, k.cx, k.cy, count(*), sum(round(ST_X(r.pt) * 1000)::bigint), sum(round(ST_Y(r.pt) * 1000)::bigint)
            FROM mk_cell_mark m,
                 LATERAL mk_tile_cell_rows(mk_tile_cells_box(m.cx, m.cy, m.cx, m.cy, 10), false, NULL, '{}') r,
                 LATERAL mk_tile_cell(r.pt, 10) k10, LATERAL mk_tile_cell(r.pt, 13) k
            WHERE k10.cx = m.cx AND k10.cy = m.cy
            GROUP BY k.cx, k.cy;
        ELSE
            INSERT INTO tile_cell (z, cx, cy, n, sx, sy)
            SELECT 13, k.cx, k.cy, count(*), sum(round(ST_X(r.pt) * 1000)::bigint), sum(round(ST_Y(r.pt) * 1000)::bigint)
            FROM mk_tile_cell_rows(world, false, NULL, '{}') r, LATERAL mk_tile_cell(r.pt, 13) k
            WHERE (k.cx >> 3, k.cy >> 3) IN (SELECT m.cx, m.cy FROM mk_cell_mark m)
            GROUP BY k.cx, k.cy;
        END IF;
    END IF;
    -- zoom zz from zoom zz + 1, in the ranges of cells under the marks (zz >= 10) or above them
    FOR zz IN REVERSE 12..0 LOOP
        DELETE FROM tile_cell c USING mk_tile_cell_ranges(zz) g
        WHERE c.z = zz AND c.cx BETWEEN g.x0 AND g.x1 AND c.cy BETWEEN g.y0 AND g.y1;
        INSERT INTO tile_cell (z, cx, cy, n, sx, sy)
        SELECT zz, c.cx >> 1, c.cy >> 1, sum(c.n), sum(c.sx), sum(c.sy)
        FROM mk_tile_cell_ranges(zz) g JOIN tile_cell c ON c.z = zz + 1
            AND c.cx BETWEEN 2 * g.x0 AND 2 * g.x1 + 1 AND c.cy BETWEEN 2 * g.y0 AND 2 * g.y1 + 1
        GROUP BY c.cx >> 1, c.cy >> 1;
    END LOOP;
END $$;

SELECT mk_tile_cells_store(NULL);
