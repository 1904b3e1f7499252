-- The indicator rows of every current unit, computed once per data version instead of once per
-- read (issue 13: the `indicators` tiles evaluated mk_unit_indicators for every tile). The rows
-- are exactly what mk_unit_indicators(NULL, NULL) returns, without the geometry: the view
-- unit_indicators_layer (migration 0005, the layers' and QGIS's) now reads them and joins the
-- geometry from admin_unit by indexed id, so a tile or a features query over it is an index scan
-- on the units' geometry.
--
-- Kept current by db/functions/indicators/mk_trg_indicator_inputs.sql: any statement that changes
-- a table the rows are computed from (admin_unit, population, unit_indicator, unit_facility,
-- unit_settlement) marks its transaction in unit_indicator_stale, and a deferred constraint
-- trigger recomputes the rows once, just before that transaction commits. Replicas receive them
-- in the same WAL as the change; the tile notifications of those tables (migrations 0002, 0008,
-- tile_change) still announce it. See docs/planning.md, "Indicator rows".
CREATE TABLE unit_indicator_row (
    unit_id bigint PRIMARY KEY, level text NOT NULL, code text NOT NULL, version int, name_ar text,
    name_fr text, name_en text, parent_code text, governorate_code text, population bigint,
    population_year int, population_source text, project_count int, budget_tnd numeric,
    budget_per_inhabitant numeric, beneficiaries bigint, committed_tnd numeric, paid_tnd numeric,
    execution_rate numeric, projects_with_progress int, delayed_count int, blocked_count int,
    rank_in_governorate int, units_in_governorate int,
    school_count int, school_per_10k numeric, school_nearest_km numeric,
    health_count int, health_per_10k numeric, health_nearest_km numeric,
    administration_count int, administration_per_10k numeric, administration_nearest_km numeric,
    post_count int, post_per_10k numeric, post_nearest_km numeric,
    police_count int, police_per_10k numeric, police_nearest_km numeric,
    settlement_method text, by_theme jsonb, by_status jsonb, by_funding jsonb, computed_at timestamptz
);
CREATE INDEX unit_indicator_row_level ON unit_indicator_row (level, code);

-- mk_unit_indicators now returns SETOF unit_indicator_row (one column list, not two): a
-- function's result type cannot be replaced in place, and the view read it.
DROP VIEW unit_indicators_layer;
DROP FUNCTION mk_unit_indicators(text, timestamptz);

-- The same columns as before (the rows, then geom and geom_3857), from the stored rows.
CREATE VIEW unit_indicators_layer AS
SELECT r.*, u.geom, u.geom_3857
FROM unit_indicator_row r JOIN admin_unit u ON u.id = r.unit_id;

-- One row per transaction whose changes make the stored rows stale, until it commits.
CREATE TABLE unit_indicator_stale (
    xact xid8 PRIMARY KEY
);
