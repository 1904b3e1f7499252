-- Called by the triggers planning_rule_delete, planning_rule_insert, planning_rule_update on
-- conformity_rule (created by migration 0005).
CREATE OR REPLACE FUNCTION mk_trg_rule_changed() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    types text[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        types := array(SELECT DISTINCT project_type FROM new_rows);
    ELSIF TG_OP = 'DELETE' THEN
        types := array(SELECT DISTINCT project_type FROM old_rows);
    ELSE
        types := array(SELECT project_type FROM new_rows UNION SELECT project_type FROM old_rows);
    END IF;
    PERFORM mk_conformity_locations(array(
        SELECT l.id FROM project_location l JOIN project p ON p.id = l.project_id
        WHERE p.project_type IN (SELECT unnest(types))));
    RETURN NULL;
END $$;
