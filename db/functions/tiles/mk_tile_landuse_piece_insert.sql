-- Called by the trigger tile_landuse_piece_insert on tile_landuse_gen (created by migration 0002).
CREATE OR REPLACE FUNCTION mk_tile_landuse_piece_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tile_landuse_piece (zone_id, z, x, y, geom)
    SELECT n.zone_id, n.band, tx, ty, m.g
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
