-- The indicator rows of the units of level `lv` (every level when NULL) at `t`: now (t NULL), the
-- rows stored for the current data version (unit_indicator_row, kept at each commit that changes
-- their inputs, migration 0024); as of a past date, computed by mk_unit_indicators. Every reader of
-- unit indicators (the indicator tables, CSV, diagnosis sheets) goes through here, so a current
-- answer is an index scan and equals what the `indicators` tiles and collections show.
CREATE OR REPLACE FUNCTION mk_unit_indicator_rows(lv text, t timestamptz)
RETURNS SETOF unit_indicator_row
LANGUAGE sql STABLE SET jit = off AS $$
SELECT r.* FROM unit_indicator_row r WHERE t IS NULL AND (lv IS NULL OR r.level = lv)
UNION ALL
SELECT c.* FROM mk_unit_indicators(lv, t) c WHERE t IS NOT NULL
$$;
