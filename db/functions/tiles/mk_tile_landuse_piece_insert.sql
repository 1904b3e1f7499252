-- The pieces of every new generalised copy, for every tile of its band (mk_tile_pieces).
-- Called by the trigger tile_landuse_piece_insert on tile_landuse_gen (created by migration 0002).
CREATE OR REPLACE FUNCTION mk_tile_landuse_piece_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tile_landuse_piece (zone_id, z, x, y, geom)
    SELECT n.zone_id, n.band, p.x, p.y, p.piece
    FROM new_rows n CROSS JOIN LATERAL mk_tile_pieces(n.geom, n.band) p;
    RETURN NULL;
END $$;
