-- The ground a tile archive's sources can draw on, for `offline::occupied`: a session table of
-- small pieces (ST_Subdivide, GiST-indexed) of every geometry the chosen sources ($1, their ids)
-- read, in EPSG:3857. A superset of what a tile draws (every unit of a level, historical units
-- for projects drawn as units, every public location), so a tile that meets none of it is empty.
-- Pieces of at most $2 vertices: the test is exact whatever their size (ST_Intersects), so the
-- size only trades the time of cutting against the time of testing (`occupied::vertices`).
CREATE TEMP TABLE offline_occupied ON COMMIT PRESERVE ROWS AS
SELECT ST_Subdivide(g, $2) AS g
FROM (
    SELECT u.geom_3857 AS g FROM admin_unit u
    WHERE u.valid_to IS NULL AND (
        (u.level = 'municipality' AND ('municipalities' = ANY($1) OR 'indicators' = ANY($1)))
        OR (u.level = 'delegation' AND 'delegations' = ANY($1))
        OR (u.level = 'governorate' AND 'governorates' = ANY($1)))
    UNION ALL
    SELECT z.geom_3857 FROM landuse_zone z WHERE 'landuse' = ANY($1)
    UNION ALL
    SELECT f.geom_3857 FROM facility f WHERE 'facilities' = ANY($1)
    UNION ALL
    SELECT q.geom_3857 FROM proposal_public q WHERE 'proposals' = ANY($1)
    UNION ALL
    SELECT pl.public_geom_3857 FROM project_location pl
    WHERE 'projects' = ANY($1) AND pl.public_geom_3857 IS NOT NULL
    UNION ALL
    SELECT u.geom_3857 FROM admin_unit u
    WHERE 'projects' = ANY($1) AND EXISTS (
        SELECT 1 FROM project_location pl WHERE pl.precision = u.level
        AND (pl.unit_code = u.code OR (pl.unit_code IS NULL AND ST_Intersects(u.geom, pl.geom))))
) s
WHERE g IS NOT NULL AND NOT ST_IsEmpty(g)
