-- Called by the trigger planning_location_delete on project_location (created by migration 0005).
CREATE OR REPLACE FUNCTION mk_trg_location_delete() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    ids bigint[] := array(SELECT id FROM old_rows);
    pids bigint[] := array(SELECT DISTINCT project_id FROM old_rows);
BEGIN
    pids := pids || mk_assign_close(ids);
    DELETE FROM location_zone z USING unnest(ids) AS i(id) WHERE z.location_id = i.id;
    DELETE FROM location_conformity c USING unnest(ids) AS i(id) WHERE c.location_id = i.id;
    PERFORM mk_conformity_projects(array(SELECT p.id FROM project p JOIN unnest(pids) AS i(id) ON i.id = p.id));
    PERFORM mk_project_refresh(pids);
    RETURN NULL;
END $$;
