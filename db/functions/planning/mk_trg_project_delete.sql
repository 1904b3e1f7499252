-- Called by the trigger planning_project_delete on project (created by migration 0005).
CREATE OR REPLACE FUNCTION mk_trg_project_delete() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    ids bigint[] := array(SELECT id FROM old_rows);
BEGIN
    DELETE FROM project_conformity c USING unnest(ids) AS i(id) WHERE c.project_id = i.id;
    PERFORM mk_project_refresh(ids);
    RETURN NULL;
END $$;
