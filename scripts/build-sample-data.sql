-- Geometry work for scripts/build-sample-data.sh, run in the schema sample_build where ogr2ogr has
-- loaded mun (municipalities_2018), del (delegations_2018) and per (municipal_perimeters_2014).
-- Every overlay snaps to the source's own grid (1e-6 degree, the 6 decimals the files carry), so the
-- results need no further rounding and the municipality edges are kept vertex for vertex.
\set ON_ERROR_STOP on
SET search_path = sample_build, public;
SET client_min_messages = warning;

-- The union of the 2014 communal perimeters.
CREATE TABLE peru AS
SELECT ST_Union(ST_MakeValid(geom), 0.000001) AS geom FROM per;

CREATE TABLE m AS
SELECT id_mun_official::int AS code, gov_id::int AS gov, ST_MakeValid(geom) AS geom FROM mun;

-- First cut: inside (P) and outside (E) the 2014 perimeters, one row per polygon part.
CREATE TABLE parts AS
WITH cut AS (
  SELECT m.code, m.geom,
         ST_CollectionExtract(ST_Intersection(m.geom, u.geom, 0.000001), 3) AS p
  FROM m, peru u
)
SELECT code, 'P' AS z, (ST_Dump(p)).geom AS g FROM cut
UNION ALL
SELECT code, 'E', (ST_Dump(ST_CollectionExtract(ST_Difference(geom, p, 0.000001), 3))).geom FROM cut;
DELETE FROM parts WHERE ST_IsEmpty(g);

-- Slivers (< 100 m²) touching the other zone are not dropped but handed to it, so that the two zones
-- still tile the municipality; a tiny part touching only the outside (an islet) stays where it is.
-- P2014 = kept P parts + handed-over E slivers; E2016 = the municipality minus P2014.
ALTER TABLE parts ADD COLUMN sliver boolean;
UPDATE parts p SET sliver = ST_Area(p.g::geography) < 100 AND EXISTS (
  SELECT 1 FROM parts o WHERE o.code = p.code AND o.z <> p.z AND ST_Intersects(o.g, p.g));

CREATE TABLE zone_p AS
SELECT code, ST_CollectionExtract(ST_MakeValid(ST_Union(g, 0.000001)), 3) AS geom
FROM parts
WHERE (z = 'P') <> sliver
GROUP BY code;

CREATE TABLE zone AS
SELECT code, 'P2014' AS zone_code, geom FROM zone_p
UNION ALL
SELECT m.code, 'E2016',
       ST_CollectionExtract(ST_MakeValid(
         CASE WHEN p.geom IS NULL THEN m.geom ELSE ST_Difference(m.geom, p.geom, 0.000001) END), 3)
FROM m LEFT JOIN zone_p p USING (code);
DELETE FROM zone WHERE ST_IsEmpty(geom) OR ST_Area(geom::geography) < 100;
UPDATE zone SET geom = ST_Multi(geom);

-- Tiling check, reported by the builder: per municipality, the zones' area against the municipality's
-- and the area where the zones overlap.
CREATE TABLE zone_check AS
SELECT m.code,
       ST_Area(m.geom::geography) AS a_mun,
       coalesce((SELECT sum(ST_Area(z.geom::geography)) FROM zone z WHERE z.code = m.code), 0) AS a_zones,
       coalesce((SELECT ST_Area(ST_Intersection(a.geom, b.geom)::geography)
                 FROM zone a JOIN zone b ON a.code = b.code AND a.zone_code = 'P2014' AND b.zone_code = 'E2016'
                 WHERE a.code = m.code), 0) AS a_overlap,
       (SELECT min(ST_Area(d.geom::geography)) FROM zone z, ST_Dump(z.geom) d WHERE z.code = m.code) AS min_part
FROM m;

-- Municipality × delegation overlaps (same governorate only: the two hierarchies share governorate
-- edges exactly in this source, cross-governorate overlaps have zero area), in m², over the whole
-- municipality and over its 2014 perimeter zone.
CREATE TABLE mun_del AS
SELECT m.code, d.del_id::int AS del, m.gov,
       ST_Area(ST_Intersection(m.geom, d.geom)::geography) AS a_all,
       coalesce(ST_Area(ST_Intersection(p.geom, d.geom)::geography), 0) AS a_urban
FROM m
JOIN del d ON d.gov_id::int = m.gov AND ST_Intersects(m.geom, d.geom)
LEFT JOIN zone p ON p.code = m.code AND p.zone_code = 'P2014';
