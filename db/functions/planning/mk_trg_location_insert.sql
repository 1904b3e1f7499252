-- Called by the trigger planning_location_insert on project_location (created by migration 0005).
CREATE OR REPLACE FUNCTION mk_trg_location_insert() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    PERFORM mk_locations_changed(array(SELECT id FROM new_rows), '{}');
    RETURN NULL;
END $$;
