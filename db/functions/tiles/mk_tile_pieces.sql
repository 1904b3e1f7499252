-- The pieces of a generalised copy `gen` (3857) for zoom `zoom`: for every tile (x, y) of that zoom
-- that the copy's bounding box touches (with the 1/64 buffer), the copy clipped to the buffered
-- tile and encoded with the tile query's own parameters (extent 512, buffer 8); empty pieces are
-- left out. Used by the triggers that fill tile_admin_piece and tile_landuse_piece.
CREATE OR REPLACE FUNCTION mk_tile_pieces(gen geometry, zoom int)
RETURNS TABLE (x int, y int, piece geometry)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT tx, ty, m.g
    FROM (SELECT 40075016.68557849 / 2 ^ zoom AS size, 20037508.342789244 AS w, (1 << zoom) - 1 AS last) s,
         LATERAL generate_series(greatest(0, floor((ST_XMin(gen) + s.w) / s.size - 1.0 / 64)::int),
                                 least(s.last, floor((ST_XMax(gen) + s.w) / s.size + 1.0 / 64)::int)) tx,
         LATERAL generate_series(greatest(0, floor((s.w - ST_YMax(gen)) / s.size - 1.0 / 64)::int),
                                 least(s.last, floor((s.w - ST_YMin(gen)) / s.size + 1.0 / 64)::int)) ty,
         LATERAL (SELECT ST_AsMVTGeom(ST_ClipByBox2D(gen, ST_TileEnvelope(zoom, tx, ty, margin => 1.0 / 64)),
                                      ST_TileEnvelope(zoom, tx, ty), 512, 8, true) AS g) m
    WHERE m.g IS NOT NULL AND NOT ST_IsEmpty(m.g)
$$;
