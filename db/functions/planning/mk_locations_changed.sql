-- ---- project locations: reassign, overlay, refresh, in the statement that changed them
CREATE OR REPLACE FUNCTION mk_locations_changed(ids bigint[], extra_projects bigint[]) RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    changed bigint[] := coalesce(extra_projects, '{}');
BEGIN
    IF cardinality(ids) = 0 AND cardinality(changed) = 0 THEN
        RETURN;
    END IF;
    changed := changed || mk_assign_apply(ids, mk_assign_levels());
    PERFORM mk_conformity_overlay(ids);
    PERFORM mk_project_refresh(changed);
END $$;
