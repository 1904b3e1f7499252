-- Project verdict: the worst verdict of its assessed locations, with every location's reasons.
CREATE OR REPLACE FUNCTION mk_conformity_projects(pids bigint[]) RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    DELETE FROM project_conformity c USING unnest(pids) AS i(id) WHERE c.project_id = i.id;
    INSERT INTO project_conformity (project_id, verdict, assessed, locations, forbidden_share, reasons)
    SELECT p.id,
           coalesce((ARRAY['allowed', 'conditional', 'forbidden'])[max(CASE lc.verdict WHEN 'allowed' THEN 1
                    WHEN 'conditional' THEN 2 WHEN 'forbidden' THEN 3 END)], 'not_assessed'),
           count(*) FILTER (WHERE lc.verdict <> 'not_assessed'), count(lc.location_id),
           avg(lc.forbidden_share) FILTER (WHERE lc.verdict <> 'not_assessed'),
           coalesce(jsonb_agg(jsonb_build_object('location_id', lc.location_id, 'place_name', l.place_name,
                    'precision', l.precision, 'verdict', lc.verdict, 'reason', lc.reason, 'parts', lc.parts)
                    ORDER BY lc.location_id) FILTER (WHERE lc.location_id IS NOT NULL), '[]')
    FROM project p JOIN unnest(pids) AS i(id) ON i.id = p.id
    LEFT JOIN location_conformity lc ON lc.project_id = p.id
    LEFT JOIN project_location l ON l.id = lc.location_id
    GROUP BY p.id;
END $$;
