-- Called by the triggers planning_funding_delete, planning_funding_insert, planning_funding_update
-- on funding_line (created by migration 0005).
CREATE OR REPLACE FUNCTION mk_trg_funding_changed() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM mk_project_refresh(array(SELECT project_id FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM mk_project_refresh(array(SELECT project_id FROM old_rows));
    ELSE
        PERFORM mk_project_refresh(array(SELECT project_id FROM new_rows UNION SELECT project_id FROM old_rows));
    END IF;
    RETURN NULL;
END $$;
