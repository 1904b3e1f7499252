-- Called by the trigger tile_landuse_gen_insert on landuse_zone (created by migration 0002).
CREATE OR REPLACE FUNCTION mk_tile_landuse_gen_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tile_landuse_gen (zone_id, band, geom)
    SELECT n.id, b, g
    FROM new_rows n, unnest(mk_tile_bands()) b, mk_generalise(n.geom_3857, b) g
    WHERE g IS NOT NULL;
    RETURN NULL;
END $$;
