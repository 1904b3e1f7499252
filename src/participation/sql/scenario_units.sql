-- Demand units of a scenario for commune $1: its participation zones, with their population (when
-- a zone has none: the commune's latest population times the zone's share of the commune's area),
-- or, without zones, the commune itself. Each with a representative point.
WITH mun AS (SELECT code, geom FROM admin_unit_current WHERE level = 'municipality' AND code = $1),
pop AS (SELECT p.population, p.year FROM population p WHERE p.level = 'municipality' AND p.code = $1
        ORDER BY p.year DESC, p.source LIMIT 1),
z AS (SELECT pz.code, pz.population, pz.geom FROM participation_zone pz WHERE pz.municipality_code = $1)
SELECT * FROM (
    SELECT z.code,
           coalesce(z.population::float8,
                    round((SELECT population FROM pop) * ST_Area(z.geom::geography) / nullif(ST_Area(m.geom::geography), 0)))::float8
               AS population,
           z.population IS NULL AS apportioned,
           ST_X(ST_PointOnSurface(z.geom)) AS lon, ST_Y(ST_PointOnSurface(z.geom)) AS lat
    FROM z, mun m
    UNION ALL
    SELECT m.code, (SELECT population FROM pop)::float8, false,
           ST_X(ST_PointOnSurface(m.geom)), ST_Y(ST_PointOnSurface(m.geom))
    FROM mun m WHERE NOT EXISTS (SELECT 1 FROM z)
) u
ORDER BY code
