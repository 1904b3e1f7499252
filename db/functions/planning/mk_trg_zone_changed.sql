-- ---- land use
-- Called by the triggers planning_zone_delete, planning_zone_insert, planning_zone_update on
-- landuse_zone (created by migration 0005).
CREATE OR REPLACE FUNCTION mk_trg_zone_changed() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    zone_ids bigint[];
    geoms geometry[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        zone_ids := array(SELECT id FROM new_rows);
        geoms := array(SELECT geom FROM new_rows);
    ELSIF TG_OP = 'DELETE' THEN
        zone_ids := array(SELECT id FROM old_rows);
        geoms := array(SELECT geom FROM old_rows);
    ELSE
        zone_ids := array(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
                          WHERE (n.geom, n.class, n.layer_id) IS DISTINCT FROM (o.geom, o.class, o.layer_id));
        geoms := array(SELECT g FROM new_rows n JOIN old_rows o ON o.id = n.id, LATERAL (VALUES (n.geom), (o.geom)) x(g)
                       WHERE n.id = ANY (zone_ids));
    END IF;
    IF cardinality(zone_ids) > 0 THEN
        PERFORM mk_conformity_overlay(mk_landuse_sync('{}', zone_ids));
        -- the land-use tag of the proposals there (issue 11)
        PERFORM mk_proposal_retag_near(geoms, '{}');
    END IF;
    RETURN NULL;
END $$;
