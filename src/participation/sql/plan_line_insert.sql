-- A PAI line: project $2 (code) in plan $1 for year $3 with amount $4, in participation zone $5
-- (its code) or, when NULL, the zone of the plan's commune holding the project's first location.
-- No row: unknown project.
INSERT INTO plan_line (plan_id, project_id, year, amount_tnd, zone_id)
SELECT pl.id, pr.id, $3, $4,
       coalesce((SELECT z.id FROM participation_zone z WHERE z.municipality_code = pl.municipality_code AND z.code = $5),
                CASE WHEN $5::text IS NULL THEN
                    (SELECT z.id FROM participation_zone z JOIN project_location l ON l.project_id = pr.id
                     WHERE z.municipality_code = pl.municipality_code AND ST_Intersects(z.geom, ST_PointOnSurface(l.geom))
                     ORDER BY l.id, z.code LIMIT 1) END)
FROM plan pl, project pr
WHERE pl.id = $1 AND pr.code = $2
RETURNING id
