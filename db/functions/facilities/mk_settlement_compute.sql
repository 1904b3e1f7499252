-- The unit's main settlement: the town hall (facility administration/townhall) inside the unit
-- nearest to its point on surface, else that point on surface. Distances are measured from it to
-- the nearest facility of each kind (on the spheroid), counts are the facilities inside the unit.
CREATE OR REPLACE FUNCTION mk_settlement_compute(unit_ids bigint[])
RETURNS TABLE (unit_id bigint, method text, facility_id bigint, geom geometry)
LANGUAGE sql STABLE AS $$
SELECT u.id, CASE WHEN th.id IS NULL THEN 'point_on_surface' ELSE 'townhall' END, th.id, coalesce(th.geom, ps.pos)
FROM admin_unit u
JOIN unnest(unit_ids) AS i(id) ON i.id = u.id
CROSS JOIN LATERAL (SELECT ST_PointOnSurface(u.geom) AS pos) ps
LEFT JOIN LATERAL (
    SELECT f.id, f.geom FROM facility f
    WHERE f.kind = 'administration' AND f.subtype = 'townhall' AND ST_Intersects(u.geom, f.geom)
    ORDER BY f.geom <-> ps.pos LIMIT 1
) th ON true
$$;
