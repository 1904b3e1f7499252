-- Is one of project p_id's locations assigned now to one of these municipalities? A helper of
-- mk_project_visible only. A subquery cannot be inlined, so it is its own function; plpgsql, so the
-- planner does not parse it again at every planning only to find it cannot inline it (its plan is
-- cached per session).
CREATE OR REPLACE FUNCTION mk_project_assigned_to(p_id bigint, municipalities text[]) RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM location_assignment a
                   WHERE a.project_id = p_id AND a.valid_to IS NULL AND a.level = 'municipality'
                     AND a.unit_code = ANY (municipalities));
END $$;
