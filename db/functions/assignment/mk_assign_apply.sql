-- Bring the current assignments of `ids` at `levels` in line with what is computed now: rows that
-- still hold stay, rows that no longer hold are closed (deleted when they were written in this same
-- transaction: nobody ever saw them), new rows are inserted. Returns the projects whose rows changed.
-- New locations (no previous answer) skip the comparison with a previous answer.
CREATE OR REPLACE FUNCTION mk_assign_apply(ids bigint[], levels text[]) RETURNS bigint[]
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    changed bigint[];
BEGIN
    IF cardinality(ids) = 0 OR cardinality(levels) = 0 THEN
        RETURN '{}';
    END IF;
    PERFORM mk_assign_compute(ids, levels);
    ANALYZE mk_as;
    PERFORM mk_scratch('mk_as_cur', 'mk_as_cur_row');
    INSERT INTO mk_as_cur
    SELECT a.id, a.location_id, a.project_id, a.level, a.unit_id, a.share, a.method, a.precision_flag, a.valid_from, false
    FROM location_assignment a JOIN unnest(ids) AS i(id) ON a.location_id = i.id
    WHERE a.valid_to IS NULL AND a.level = ANY (levels);
    ANALYZE mk_as_cur;
    IF NOT EXISTS (SELECT 1 FROM mk_as_cur) THEN
        -- new locations (or levels): every row is added and every project concerned has changed
        INSERT INTO location_assignment (location_id, project_id, level, unit_id, unit_code, unit_version, share,
                                         method, precision, precision_flag)
        SELECT n.location_id, n.project_id, n.level, n.unit_id, n.unit_code, n.unit_version, n.share, n.method,
               n.precision, n.precision_flag
        FROM mk_as n;
        RETURN array(SELECT DISTINCT n.project_id FROM mk_as n);
    END IF;
    UPDATE mk_as_cur c SET keep = true
    FROM mk_as n
    WHERE n.location_id = c.location_id AND n.level = c.level AND n.project_id = c.project_id
      AND n.unit_id IS NOT DISTINCT FROM c.unit_id AND n.method = c.method
      AND n.precision_flag IS NOT DISTINCT FROM c.precision_flag AND abs(n.share - c.share) < 1e-9;
    -- projects whose answer changed (a new version of a unit with the same shares changes nothing
    -- downstream: apportionment and indicators are per unit code)
    WITH closed AS (
        UPDATE location_assignment a SET valid_to = now()
        FROM mk_as_cur c WHERE a.id = c.id AND NOT c.keep AND c.valid_from < now()
        RETURNING a.project_id, a.location_id, a.level, a.unit_code, a.share, a.method
    ), dropped AS (
        DELETE FROM location_assignment a
        USING mk_as_cur c WHERE a.id = c.id AND NOT c.keep AND c.valid_from >= now()
        RETURNING a.project_id, a.location_id, a.level, a.unit_code, a.share, a.method
    ), added AS (
        INSERT INTO location_assignment (location_id, project_id, level, unit_id, unit_code, unit_version, share,
                                         method, precision, precision_flag)
        SELECT n.location_id, n.project_id, n.level, n.unit_id, n.unit_code, n.unit_version, n.share, n.method,
               n.precision, n.precision_flag
        FROM mk_as n
        WHERE NOT EXISTS (SELECT 1 FROM mk_as_cur c
                          WHERE c.keep AND n.location_id = c.location_id AND n.level = c.level AND n.project_id = c.project_id
                            AND n.unit_id IS NOT DISTINCT FROM c.unit_id AND n.method = c.method
                            AND n.precision_flag IS NOT DISTINCT FROM c.precision_flag
                            AND abs(n.share - c.share) < 1e-9)
        RETURNING project_id, location_id, level, unit_code, share, method
    ), gone AS (
        SELECT project_id, location_id, level, unit_code, round(share::numeric, 9) AS share, method FROM closed
        UNION ALL
        SELECT project_id, location_id, level, unit_code, round(share::numeric, 9), method FROM dropped
    ), came AS (
        SELECT project_id, location_id, level, unit_code, round(share::numeric, 9) AS share, method FROM added
    )
    SELECT array_agg(DISTINCT d.project_id) INTO changed
    FROM ((SELECT * FROM gone EXCEPT SELECT * FROM came) UNION (SELECT * FROM came EXCEPT SELECT * FROM gone)) d;
    RETURN coalesce(changed, '{}');
END $$;
