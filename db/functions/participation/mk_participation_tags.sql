-- The automatic tags of a place (a proposal, a meeting, a scenario candidate): municipality and
-- delegation (mk_locate on a point of the geometry), participation zone, land-use class of the
-- current layers (a zoning plan wins over a constraint, a constraint over a perimeter) and the
-- conformity hint: the conformity_rule outcome for (project_type, class or 'outside').
-- PL/pgSQL, not SQL: each statement's plan is kept by the session, where an SQL function with
-- CTEs was planned again at every call (about 3 ms a proposal; bench/participation).
CREATE OR REPLACE FUNCTION mk_participation_tags(g geometry, ptype text)
RETURNS TABLE (municipality_code text, delegation_code text, zone_id bigint, landuse_class text,
               conformity_hint text)
LANGUAGE plpgsql STABLE SET jit = off AS $$
#variable_conflict use_column
DECLARE
    p geometry := ST_PointOnSurface(g);
    mun text;
    del text;
    zone bigint;
    cls text;
BEGIN
    SELECT max(l.code) FILTER (WHERE l.level = 'municipality'), max(l.code) FILTER (WHERE l.level = 'delegation')
    INTO mun, del
    FROM mk_locate(ST_X(p), ST_Y(p)) l;
    SELECT pz.id INTO zone FROM participation_zone pz
    WHERE pz.municipality_code = mun AND ST_Intersects(pz.geom, p) ORDER BY pz.code LIMIT 1;
    SELECT z.class INTO cls
    FROM landuse_zone z JOIN landuse_layer_current ll ON ll.id = z.layer_id
    WHERE ST_Intersects(z.geom, p)
    ORDER BY CASE ll.kind WHEN 'zoning_plan' THEN 0 WHEN 'constraint' THEN 1 ELSE 2 END, z.id
    LIMIT 1;
    municipality_code := mun;
    delegation_code := del;
    zone_id := zone;
    landuse_class := cls;
    conformity_hint := (SELECT r.outcome FROM conformity_rule r
                        WHERE r.project_type = ptype AND r.class = coalesce(cls, 'outside'));
    RETURN NEXT;
END $$;
