-- The global 32-pixel cell of zoom z holding the point pt (EPSG:3857): every 512-pixel tile cut in
-- 16 × 16 cells, numbered from the north-west corner of the world, so cell (cx, cy) lies in tile
-- (cx / 16, cy / 16). The one place a row of the `projects` tiles is put in a cell: the tile
-- statement (src/tiles/cells.rs, every caller) and the stored cells (tile_cell, migration 0030)
-- both call it. The side of a cell at z + 1 is exactly half the side at z in floating point, so
-- the cells of z + 1 nest exactly in those of z (cx >> 1, cy >> 1).
CREATE OR REPLACE FUNCTION mk_tile_cell(pt geometry, z int, OUT cx int, OUT cy int)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT floor((ST_X(pt) + 20037508.342789244::float8) / (40075016.68557849::float8 / (16 * 2 ^ z)))::int,
           floor((20037508.342789244::float8 - ST_Y(pt)) / (40075016.68557849::float8 / (16 * 2 ^ z)))::int
$$;
