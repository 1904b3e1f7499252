-- Close every current assignment of locations that are gone. Returns the projects concerned.
CREATE OR REPLACE FUNCTION mk_assign_close(ids bigint[]) RETURNS bigint[]
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    changed bigint[];
BEGIN
    WITH cur AS MATERIALIZED (
        SELECT a.id, a.project_id, a.valid_from
        FROM location_assignment a JOIN unnest(ids) AS i(id) ON a.location_id = i.id
        WHERE a.valid_to IS NULL
    ), closed AS (
        UPDATE location_assignment a SET valid_to = now()
        FROM cur c WHERE a.id = c.id AND c.valid_from < now()
        RETURNING a.project_id
    ), dropped AS (
        DELETE FROM location_assignment a USING cur c WHERE a.id = c.id AND c.valid_from >= now()
        RETURNING a.project_id
    )
    SELECT array_agg(DISTINCT p) INTO changed
    FROM (SELECT project_id FROM closed UNION ALL SELECT project_id FROM dropped) t(p);
    RETURN coalesce(changed, '{}');
END $$;
