-- Share (0–1, planar) of the area of the staged units whose code is not a current code of level
-- $1 that lies on the current units of that level: near 1 for a file in another coding.
WITH cur AS (
    SELECT code, geom FROM admin_unit WHERE level = $1 AND valid_to IS NULL
), unknown AS (
    SELECT s.key, s.geom FROM mk_stage s
    WHERE s.reject IS NULL AND s.geom IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM cur WHERE cur.code = s.key)
)
SELECT coalesce(
    (SELECT sum(ST_Area(ST_Intersection(n.geom, c.geom)))
     FROM unknown n JOIN cur c ON n.geom && c.geom AND ST_Intersects(n.geom, c.geom))
    / nullif((SELECT sum(ST_Area(geom)) FROM unknown), 0), 0)::float8
