-- For every tile (x, y) of the band's zoom that the copy's bounding box touches (with the 1/64
-- buffer): the piece, encoded with the tile query's own parameters (extent 512, buffer 8).
-- Called by the trigger tile_admin_piece_insert on tile_admin_gen (created by migration 0002).
CREATE OR REPLACE FUNCTION mk_tile_admin_piece_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tile_admin_piece (unit_id, level, z, x, y, geom)
    SELECT n.unit_id, n.level, n.band, tx, ty, m.g
    FROM new_rows n,
         LATERAL (SELECT 40075016.68557849 / 2 ^ n.band AS size, 20037508.342789244 AS w, (1 << n.band) - 1 AS last) s,
         LATERAL generate_series(greatest(0, floor((ST_XMin(n.geom) + s.w) / s.size - 1.0 / 64)::int),
                                 least(s.last, floor((ST_XMax(n.geom) + s.w) / s.size + 1.0 / 64)::int)) tx,
         LATERAL generate_series(greatest(0, floor((s.w - ST_YMax(n.geom)) / s.size - 1.0 / 64)::int),
                                 least(s.last, floor((s.w - ST_YMin(n.geom)) / s.size + 1.0 / 64)::int)) ty,
         LATERAL (SELECT ST_AsMVTGeom(ST_ClipByBox2D(n.geom, ST_TileEnvelope(n.band, tx, ty, margin => 1.0 / 64)),
                                      ST_TileEnvelope(n.band, tx, ty), 512, 8, true) AS g) m
    WHERE m.g IS NOT NULL AND NOT ST_IsEmpty(m.g);
    RETURN NULL;
END $$;
