-- Precomputed cells of the `projects` tiles for the anonymous, unfiltered case (issue 14; a
-- commune's public map): per zoom 0–13, per global 32-pixel cell (mk_tile_cell, the grid
-- src/tiles/cluster.rs clusters on), how many locations an anonymous caller sees drawn there and
-- the sums of their cell points (millimetres, EPSG:3857, so sums of sums are exact). Zoom 13 is
-- computed from the rows (mk_tile_cell_rows, the visibility and disclosure rules), every coarser
-- zoom from its four children. See docs/scale.md, "Precomputed cells".
--
-- Kept in the writing transaction: statement triggers on project_location, project and
-- admin_unit (db/functions/tiles/mk_tile_cells_mark*.sql) mark the zoom-10 cells a statement
-- touched in tile_cell_mark and the transaction once in tile_cell_dirty; a deferred constraint
-- trigger on tile_cell_dirty recomputes exactly those cells from the source rows just before
-- commit (mk_tile_cells_store), so replicas get them in the same WAL as the change.
CREATE TABLE tile_cell (
    z smallint NOT NULL,
    cx integer NOT NULL,
    cy integer NOT NULL,
    n integer NOT NULL,
    sx bigint NOT NULL,
    sy bigint NOT NULL,
    PRIMARY KEY (z, cx, cy)
);
-- The zoom-10 cells a transaction touched, until it commits.
CREATE TABLE tile_cell_mark (
    xact xid8 NOT NULL,
    cx integer NOT NULL,
    cy integer NOT NULL,
    PRIMARY KEY (xact, cx, cy)
);
-- One row per transaction that marked cells, until it commits (fires the flush once).
CREATE TABLE tile_cell_dirty (
    xact xid8 PRIMARY KEY
);
-- The shape of the flush's scratch list of marked cells (mk_scratch).
CREATE TYPE mk_cell_mark_row AS (cx integer, cy integer);
