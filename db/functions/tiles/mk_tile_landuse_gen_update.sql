-- Called by the trigger tile_landuse_gen_update on landuse_zone (created by migration 0002).
CREATE OR REPLACE FUNCTION mk_tile_landuse_gen_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM tile_landuse_gen g USING new_rows n JOIN old_rows o ON o.id = n.id
    WHERE g.zone_id = n.id AND o.geom IS DISTINCT FROM n.geom;
    INSERT INTO tile_landuse_gen (zone_id, band, geom)
    SELECT n.id, b, g
    FROM new_rows n JOIN old_rows o ON o.id = n.id, unnest(mk_tile_bands()) b, mk_generalise(n.geom_3857, b) g
    WHERE o.geom IS DISTINCT FROM n.geom AND g IS NOT NULL;
    RETURN NULL;
END $$;
