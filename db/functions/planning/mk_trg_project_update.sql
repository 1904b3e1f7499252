-- Called by the trigger planning_project_update on project (created by migration 0005).
CREATE OR REPLACE FUNCTION mk_trg_project_update() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    typed bigint[];
BEGIN
    PERFORM mk_project_refresh(array(
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE (n.budget_tnd, n.beneficiaries, n.status, n.theme, n.project_type, n.planned_start, n.planned_end,
               n.actual_start, n.actual_end, n.is_public, n.created_at)
              IS DISTINCT FROM
              (o.budget_tnd, o.beneficiaries, o.status, o.theme, o.project_type, o.planned_start, o.planned_end,
               o.actual_start, o.actual_end, o.is_public, o.created_at)));
    typed := array(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
                   WHERE n.project_type IS DISTINCT FROM o.project_type);
    IF cardinality(typed) > 0 THEN
        PERFORM mk_conformity_locations(array(SELECT l.id FROM project_location l JOIN unnest(typed) AS i(id) ON l.project_id = i.id));
        PERFORM mk_conformity_projects(typed);
    END IF;
    RETURN NULL;
END $$;
