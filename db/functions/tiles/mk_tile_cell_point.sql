-- The point that places a location drawn in the `projects` tiles in its cell (mk_tile_cell) and
-- that its cell's point averages: a point on the geometry drawn (ST_PointOnSurface), or, for a
-- location drawn as the polygon of the unit it stands for, that unit's label point
-- (tile_admin_label, passed as `label`). Both the tile statement and the stored cells call it.
CREATE OR REPLACE FUNCTION mk_tile_cell_point(drawn geometry, label geometry) RETURNS geometry
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(label, ST_PointOnSurface(drawn))
$$;
