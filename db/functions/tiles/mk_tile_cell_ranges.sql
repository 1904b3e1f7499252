-- The cells of zoom zz that mk_tile_cells_store recomputes for the zoom-10 cells in its scratch
-- list mk_cell_mark: the ranges under each mark (zz >= 10) or the one cell above it (zz < 10),
-- without repeats (the ranges never overlap).
CREATE OR REPLACE FUNCTION mk_tile_cell_ranges(zz int) RETURNS TABLE (x0 int, x1 int, y0 int, y1 int)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN QUERY EXECUTE
        'SELECT DISTINCT
             CASE WHEN $1 >= 10 THEN m.cx << ($1 - 10) ELSE m.cx >> (10 - $1) END,
             CASE WHEN $1 >= 10 THEN ((m.cx + 1) << ($1 - 10)) - 1 ELSE m.cx >> (10 - $1) END,
             CASE WHEN $1 >= 10 THEN m.cy << ($1 - 10) ELSE m.cy >> (10 - $1) END,
             CASE WHEN $1 >= 10 THEN ((m.cy + 1) << ($1 - 10)) - 1 ELSE m.cy >> (10 - $1) END
         FROM pg_temp.mk_cell_mark m' USING zz;
END $$;
