-- Called by the trigger tile_admin_gen_update on admin_unit (created by migration 0002).
CREATE OR REPLACE FUNCTION mk_tile_admin_gen_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM tile_admin_gen g USING new_rows n JOIN old_rows o ON o.id = n.id
    WHERE g.unit_id = n.id
      AND (o.geom IS DISTINCT FROM n.geom OR o.valid_to IS DISTINCT FROM n.valid_to OR o.level <> n.level);
    INSERT INTO tile_admin_gen (unit_id, level, band, geom)
    SELECT n.id, n.level, b, g
    FROM new_rows n JOIN old_rows o ON o.id = n.id, unnest(mk_tile_bands()) b, mk_generalise(n.geom_3857, b) g
    WHERE (o.geom IS DISTINCT FROM n.geom OR o.valid_to IS DISTINCT FROM n.valid_to OR o.level <> n.level)
      AND n.valid_to IS NULL AND n.level IN ('governorate', 'delegation', 'municipality') AND g IS NOT NULL;
    DELETE FROM tile_admin_label l USING new_rows n JOIN old_rows o ON o.id = n.id
    WHERE l.unit_id = n.id
      AND (o.geom IS DISTINCT FROM n.geom OR o.valid_to IS DISTINCT FROM n.valid_to OR o.level <> n.level);
    INSERT INTO tile_admin_label (unit_id, level, geom)
    SELECT n.id, n.level, (ST_MaximumInscribedCircle(n.geom_3857)).center
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE (o.geom IS DISTINCT FROM n.geom OR o.valid_to IS DISTINCT FROM n.valid_to OR o.level <> n.level)
      AND n.valid_to IS NULL AND n.level IN ('governorate', 'delegation', 'municipality');
    RETURN NULL;
END $$;
