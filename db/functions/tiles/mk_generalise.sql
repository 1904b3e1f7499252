-- A polygon snapped to the band's grid, repaired (the 'structure' method keeps every part a ring
-- encloses, so no area is lost to a pinched ring), polygons only; NULL when it collapses entirely
-- (then it is smaller than a pixel at that zoom).
CREATE OR REPLACE FUNCTION mk_generalise(g geometry, z int) RETURNS geometry
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT CASE WHEN ST_IsEmpty(v) THEN NULL ELSE v END
  FROM (SELECT ST_Multi(ST_CollectionExtract(ST_MakeValid(
          ST_SnapToGrid(g, -20037508.342789244, -20037508.342789244, mk_tile_grid(z), mk_tile_grid(z)),
          'method=structure'), 3)) AS v) q
$$;
