-- The box a project location draws: its own geometry, its public geometry (displaced or unit
-- point, docs/disclosure.md; callers without the exact right see that one), plus its unit's
-- polygon when it stands for one.
CREATE OR REPLACE FUNCTION mk_location_box(loc project_location) RETURNS box2d
LANGUAGE sql STABLE AS $$
  SELECT Box2D(ST_Collect(ARRAY[loc.geom_3857, loc.public_geom_3857, (
      SELECT ST_Collect(u.geom_3857) FROM admin_unit u
      WHERE loc.precision IN ('municipality', 'delegation', 'governorate')
        AND u.valid_to IS NULL AND u.level = loc.precision
        AND (u.code = loc.unit_code OR (loc.unit_code IS NULL AND ST_Intersects(u.geom, loc.geom))))]))
$$;
