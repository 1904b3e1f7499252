-- Called by the trigger planning_location_update on project_location (created by migration 0005).
CREATE OR REPLACE FUNCTION mk_trg_location_update() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    ids bigint[];
    moved bigint[];
BEGIN
    ids := array(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
                 WHERE (n.geom, n.precision, n.unit_code, n.project_id) IS DISTINCT FROM
                       (o.geom, o.precision, o.unit_code, o.project_id));
    moved := array(SELECT o.project_id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.project_id <> o.project_id);
    IF cardinality(ids) > 0 THEN
        PERFORM mk_locations_changed(ids, moved);
        IF cardinality(moved) > 0 THEN
            PERFORM mk_conformity_projects(moved);
        END IF;
    END IF;
    RETURN NULL;
END $$;
