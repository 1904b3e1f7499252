-- ---- projects, funding lines, progress and status events
-- Called by the trigger planning_project_insert on project (created by migration 0005).
CREATE OR REPLACE FUNCTION mk_trg_project_insert() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    ids bigint[] := array(SELECT id FROM new_rows);
BEGIN
    PERFORM mk_project_refresh(ids);
    PERFORM mk_conformity_projects(ids);
    RETURN NULL;
END $$;
