-- Is location l_id assigned now to one of these municipalities? A helper of
-- mk_location_exact_visible (plpgsql for the reason given in mk_project_assigned_to).
CREATE OR REPLACE FUNCTION mk_location_assigned_to(l_id bigint, municipalities text[]) RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM location_assignment a
                   WHERE a.location_id = l_id AND a.valid_to IS NULL AND a.level = 'municipality'
                     AND a.unit_code = ANY (municipalities));
END $$;
