-- The pieces of every new generalised copy, for every tile of its band (mk_tile_pieces).
-- Called by the trigger tile_admin_piece_insert on tile_admin_gen (created by migration 0002).
CREATE OR REPLACE FUNCTION mk_tile_admin_piece_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tile_admin_piece (unit_id, level, z, x, y, geom)
    SELECT n.unit_id, n.level, n.band, p.x, p.y, p.piece
    FROM new_rows n CROSS JOIN LATERAL mk_tile_pieces(n.geom, n.band) p;
    RETURN NULL;
END $$;
