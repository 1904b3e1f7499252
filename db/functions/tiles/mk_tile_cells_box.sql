-- The box (EPSG:3857) of the cells cx0..cx1 × cy0..cy1 of zoom z (mk_tile_cell), widened by 1 cm
-- so that a point the cell arithmetic puts on its edge is still inside: callers select rows by
-- this box and then keep those mk_tile_cell places in the cells they want.
CREATE OR REPLACE FUNCTION mk_tile_cells_box(cx0 int, cy0 int, cx1 int, cy1 int, z int) RETURNS geometry
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ST_MakeEnvelope(-20037508.342789244 + cx0 * c - 0.01, 20037508.342789244 - (cy1 + 1) * c - 0.01,
                           -20037508.342789244 + (cx1 + 1) * c + 0.01, 20037508.342789244 - cy0 * c + 0.01, 3857)
    FROM (SELECT 40075016.68557849::float8 / (16 * 2 ^ z) AS c) s
$$;
