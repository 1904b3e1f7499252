-- Called by the triggers planning_layer_delete, planning_layer_insert on landuse_layer (created by
-- migration 0005).
CREATE OR REPLACE FUNCTION mk_trg_layer_changed() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM mk_conformity_overlay(mk_landuse_sync(array(SELECT slug FROM old_rows), '{}'));
    ELSE
        PERFORM mk_conformity_overlay(mk_landuse_sync(array(SELECT slug FROM new_rows), '{}'));
    END IF;
    RETURN NULL;
END $$;
