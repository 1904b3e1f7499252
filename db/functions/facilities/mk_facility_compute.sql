-- For units `unit_ids`, per facility kind: the facilities inside the unit and the nearest one to
-- its main settlement (distance on the spheroid, in km).
CREATE OR REPLACE FUNCTION mk_facility_compute(unit_ids bigint[])
RETURNS TABLE (unit_id bigint, kind text, facilities int, nearest_km double precision, nearest_facility_id bigint)
LANGUAGE sql STABLE AS $$
WITH u AS MATERIALIZED (
    SELECT u.id, u.geom, coalesce(s.geom, c.geom) AS settlement
    FROM admin_unit u JOIN unnest(unit_ids) AS i(id) ON i.id = u.id
    LEFT JOIN unit_settlement s ON s.unit_id = u.id
    LEFT JOIN LATERAL (SELECT x.geom FROM mk_settlement_compute(ARRAY[u.id]) x WHERE s.unit_id IS NULL) c ON true
), counts AS (
    SELECT u.id, f.kind, count(*)::int AS n
    FROM u JOIN facility f ON ST_Intersects(u.geom, f.geom)
    GROUP BY 1, 2
)
SELECT u.id, k.kind, coalesce(c.n, 0), n.km, n.fid
FROM u CROSS JOIN unnest(mk_facility_kinds()) AS k(kind)
LEFT JOIN counts c ON c.id = u.id AND c.kind = k.kind
LEFT JOIN LATERAL (
    SELECT c8.id AS fid, ST_Distance(c8.geom::geography, u.settlement::geography) / 1000 AS km
    FROM (SELECT f.id, f.geom FROM facility f WHERE f.kind = k.kind ORDER BY f.geom <-> u.settlement LIMIT 8) c8
    ORDER BY 2, 1 LIMIT 1
) n ON true
$$;
