-- Called by the trigger tile_admin_gen_insert on admin_unit (created by migration 0002).
CREATE OR REPLACE FUNCTION mk_tile_admin_gen_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tile_admin_gen (unit_id, level, band, geom)
    SELECT n.id, n.level, b, g
    FROM new_rows n, unnest(mk_tile_bands()) b, mk_generalise(n.geom_3857, b) g
    WHERE n.valid_to IS NULL AND n.level IN ('governorate', 'delegation', 'municipality') AND g IS NOT NULL;
    INSERT INTO tile_admin_label (unit_id, level, geom)
    SELECT n.id, n.level, (ST_MaximumInscribedCircle(n.geom_3857)).center
    FROM new_rows n
    WHERE n.valid_to IS NULL AND n.level IN ('governorate', 'delegation', 'municipality');
    RETURN NULL;
END $$;
