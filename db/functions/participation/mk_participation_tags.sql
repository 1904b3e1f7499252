-- The automatic tags of a place (a proposal, a meeting, a scenario candidate): municipality and
-- delegation (mk_locate on a point of the geometry), participation zone, land-use class of the
-- current layers (a zoning plan wins over a constraint, a constraint over a perimeter) and the
-- conformity hint: the conformity_rule outcome for (project_type, class or 'outside').
CREATE OR REPLACE FUNCTION mk_participation_tags(g geometry, ptype text)
RETURNS TABLE (municipality_code text, delegation_code text, zone_id bigint, landuse_class text,
               conformity_hint text)
LANGUAGE sql STABLE AS $$
WITH pt AS (SELECT ST_PointOnSurface(g) AS p),
units AS (
    SELECT max(l.code) FILTER (WHERE l.level = 'municipality') AS mun,
           max(l.code) FILTER (WHERE l.level = 'delegation') AS del
    FROM pt, mk_locate(ST_X(pt.p), ST_Y(pt.p)) l
),
cls AS (
    SELECT z.class
    FROM pt, landuse_zone z JOIN landuse_layer_current ll ON ll.id = z.layer_id
    WHERE ST_Intersects(z.geom, pt.p)
    ORDER BY CASE ll.kind WHEN 'zoning_plan' THEN 0 WHEN 'constraint' THEN 1 ELSE 2 END, z.id
    LIMIT 1
)
SELECT u.mun, u.del,
       (SELECT pz.id FROM participation_zone pz, pt
        WHERE pz.municipality_code = u.mun AND ST_Intersects(pz.geom, pt.p) ORDER BY pz.code LIMIT 1),
       (SELECT class FROM cls),
       (SELECT r.outcome FROM conformity_rule r
        WHERE r.project_type = ptype AND r.class = coalesce((SELECT class FROM cls), 'outside'))
FROM units u
$$;
