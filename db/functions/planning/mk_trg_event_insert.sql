-- Called by the trigger planning_event_insert on project_event (created by migration 0005).
CREATE OR REPLACE FUNCTION mk_trg_event_insert() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    PERFORM mk_project_refresh(array(
        SELECT e.project_id FROM new_rows e
        WHERE e.kind = 'progress' OR e.to_status IS NOT NULL
        AND EXISTS (SELECT 1 FROM project p WHERE p.id = e.project_id)));
    RETURN NULL;
END $$;
