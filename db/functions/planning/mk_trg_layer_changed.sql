-- Called by the triggers planning_layer_delete, planning_layer_insert on landuse_layer (created by
-- migration 0005).
-- A version that comes or goes changes which version of its slug is current: the proposals in the
-- zones of the slug's other versions are re-tagged (those in the new version's zones are re-tagged
-- when its zones are written).
CREATE OR REPLACE FUNCTION mk_trg_layer_changed() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    slugs text[];
BEGIN
    IF TG_OP = 'DELETE' THEN
        slugs := array(SELECT slug FROM old_rows);
    ELSE
        slugs := array(SELECT slug FROM new_rows);
    END IF;
    PERFORM mk_conformity_overlay(mk_landuse_sync(slugs, '{}'));
    PERFORM mk_proposal_retag_near(array(SELECT z.geom FROM landuse_zone z JOIN landuse_layer l ON l.id = z.layer_id
                                         WHERE l.slug = ANY (slugs)), '{}');
    RETURN NULL;
END $$;
