-- Session scratch tables get declared row types: each table is created `OF` its type
-- (CREATE TEMP TABLE x OF x_row), so its shape has one definition here instead of a column list
-- in a string literal of the function that creates it. See docs/database.md.

-- mk_scratch(name, columns text) becomes mk_scratch(name, shape regtype) (db/functions/foundation).
DROP FUNCTION mk_scratch(text, text);

-- ---------------------------------------------------------------- overlay (mk_overlay_run)
-- The overlay's answer: one row per location, set and member (or the part outside every member).
CREATE TYPE mk_ov_row AS (loc_id bigint, set_key text, member_id bigint, code text, version int,
                          share float8, how text, degenerate boolean);
-- A location's geometry, dimension, part count and total length or area (mk_ov_loc: all of the
-- batch; mk_ov_ext: the lines and polygons).
CREATE TYPE mk_ov_loc_row AS (id bigint, geom geometry, dim int, parts int, total float8);
-- Points to test against the pieces, with their weight in the location.
CREATE TYPE mk_ov_pt_row AS (id bigint, path int[], geom geometry, w float8, degenerate boolean);
-- The member each point falls in.
CREATE TYPE mk_ov_hit_row AS (id bigint, path int[], set_key text, member_id bigint, code text, version int);
-- The member pieces a line or polygon meets (src: the piece's table, piece: its id).
CREATE TYPE mk_ov_pair_row AS (id bigint, set_key text, member_id bigint, code text, version int,
                               src text, piece bigint);
-- Per line or polygon, set and member: k members met, rank by pieces met (rn = 1: met most),
-- whether the location reaches the set's edge.
CREATE TYPE mk_ov_mem_row AS (id bigint, set_key text, member_id bigint, code text, version int,
                              k int, rn int, edge boolean);
-- Share of a line or polygon in each member.
CREATE TYPE mk_ov_part_row AS (id bigint, set_key text, member_id bigint, code text, version int,
                               share float8);

-- ---------------------------------------------------------------- assignment (mk_assign_*)
-- The locations to assign, per level, with how (mode) and the declared unit found.
CREATE TYPE mk_as_loc_row AS (id bigint, project_id bigint, precision text, unit_code text, level text,
                              mode text, unit_id bigint, code text, version int);
-- The computed assignment.
CREATE TYPE mk_as_row AS (location_id bigint, project_id bigint, level text, unit_id bigint,
                          unit_code text, unit_version int, share float8, method text, precision text,
                          precision_flag text);
-- The current assignment rows of the locations, and whether they still hold.
CREATE TYPE mk_as_cur_row AS (id bigint, location_id bigint, project_id bigint, level text,
                              unit_id bigint, share float8, method text, precision_flag text,
                              valid_from timestamptz, keep boolean);

-- ---------------------------------------------------------------- upkeep
-- Unit versions a statement changed (mk_trg_unit_changed).
CREATE TYPE mk_unit_change_row AS (id bigint, level text, old_level text, code text, old_code text,
                                   gone boolean, added boolean);
-- Projects whose derived tables an API write refreshes before commit (mk_project_refresh,
-- mk_refresh_flush).
CREATE TYPE mk_refresh_pending_row AS (id bigint);

-- ---------------------------------------------------------------- importer (src/import/sql/stage_create.sql)
-- One staged row of an import.
CREATE TYPE mk_stage_row AS (
    ord    int,      -- index of the row in the importer's list
    fid    bigint,   -- OGR FID in the file
    key    text,     -- the target's identifier (code, source id, location id)
    data   jsonb,    -- canonical fields, cleaned
    attrs  jsonb,    -- unmapped fields
    wkb    bytea,    -- geometry as read (EPSG:4326)
    geom   geometry, -- checked/repaired geometry; NULL when rejected
    repair text,     -- ST_IsValidReason of a repaired geometry
    reject text      -- why the row is rejected
);
