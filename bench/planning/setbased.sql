-- The same answer as naive.sql (one point per location, lowest code per level), set-based: one
-- statement walking the unit pieces (each piece's point-in-polygon index built once) over an index
-- of the points. The like-for-like comparison for the loop.
\set ON_ERROR_STOP on
DROP TABLE IF EXISTS setbased_point;
CREATE TEMP TABLE setbased_point AS SELECT id, ST_PointOnSurface(geom) AS pt FROM project_location;
CREATE INDEX ON setbased_point USING gist (pt);
ANALYZE setbased_point;
DROP TABLE IF EXISTS setbased_assignment;
CREATE UNLOGGED TABLE setbased_assignment AS
SELECT DISTINCT ON (x.id, p.level) x.id AS location_id, p.level, p.code AS unit_code
FROM admin_unit_piece p
CROSS JOIN LATERAL (SELECT s.id FROM setbased_point s WHERE s.pt && p.geom AND ST_Intersects(p.geom, s.pt)) x
WHERE p.level IN ('governorate', 'delegation', 'municipality')
ORDER BY x.id, p.level, p.code;
