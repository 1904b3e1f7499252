-- Verdicts of locations `ids` (from the stored overlay), then of their projects.
CREATE OR REPLACE FUNCTION mk_conformity_locations(ids bigint[]) RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    pids bigint[];
BEGIN
    WITH gone AS (
        DELETE FROM location_conformity c USING unnest(ids) AS i(id) WHERE c.location_id = i.id
        RETURNING c.project_id
    ), fresh AS (
        INSERT INTO location_conformity (location_id, project_id, verdict, reason, outside_share, forbidden_share,
                                         conditional_share, allowed_share, parts, summary_fr, summary_ar)
        SELECT * FROM mk_location_verdicts(ids)
        RETURNING project_id
    )
    SELECT array_agg(DISTINCT x) INTO pids FROM (SELECT project_id FROM gone UNION ALL SELECT project_id FROM fresh) t(x);
    IF pids IS NOT NULL THEN
        PERFORM mk_conformity_projects(pids);
    END IF;
END $$;
