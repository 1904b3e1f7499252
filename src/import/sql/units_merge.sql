-- Units drawn in several features (a municipality in several parts, islands): the parts' union,
-- made valid, becomes the first part's geometry; the other parts are removed from the stage.
-- Returns per merged unit: code, number of parts, sum of the parts' areas and the union's (km²).
-- (Areas on the sphere: they only go into the notes, and the spheroid costs more.)
WITH parts AS (
    SELECT key, min(ord) AS first, count(*) AS n,
           sum(ST_Area(geom::geography, false)) / 1e6 AS parts_km2,
           ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(geom)), 3)) AS g
    FROM mk_stage WHERE reject IS NULL
    GROUP BY key HAVING count(*) > 1
), merged AS (
    UPDATE mk_stage s SET geom = p.g FROM parts p WHERE s.ord = p.first
    RETURNING s.key
), dropped AS (
    DELETE FROM mk_stage s USING parts p
    WHERE s.key = p.key AND s.ord <> p.first AND s.reject IS NULL
    RETURNING s.ord
)
SELECT p.key, p.n::int, p.parts_km2, ST_Area(p.g::geography, false) / 1e6
FROM parts p
ORDER BY p.key
