-- Synthetic project locations on the real boundaries (bench only, never in a real database), shared
-- by bench/national (in steps) and bench/planning: psql -v from=K -v to=N fills bench_nat_loc (n,
-- geom, precision, unit_code) with locations K+1..N, deterministic (seeded by N). Anchors spread
-- 70 % by municipal population, 30 % by governorate area; 60 % points, 25 % lines (two segments of
-- up to ~3 km, so many cross a boundary), 15 % polygons (100 m – 850 m radius); precision 90 %
-- exact, 5 % approximate, 3 % municipality, 2 % national.
SELECT setseed(0.42);
DROP TABLE IF EXISTS bench_nat_loc;
CREATE TABLE bench_nat_loc AS
WITH w AS (
    SELECT u.code, u.geom, p.population::float8 / sum(p.population) OVER () AS w
    FROM admin_unit u JOIN population p ON p.level = 'municipality' AND p.code = u.code
    WHERE u.level = 'municipality' AND u.valid_to IS NULL
), g AS (
    SELECT u.geom, u.area_km2 / sum(u.area_km2) OVER () AS w
    FROM admin_unit u WHERE u.level = 'governorate' AND u.valid_to IS NULL
), pts AS (
    SELECT (ST_Dump(ST_GeneratePoints(w.geom, greatest(1, ceil(0.71 * (:to - :from) * w.w))::int, :to))).geom AS geom FROM w
    UNION ALL
    SELECT (ST_Dump(ST_GeneratePoints(g.geom, greatest(1, ceil(0.31 * (:to - :from) * g.w))::int, :to + 1))).geom FROM g
), a AS (
    SELECT row_number() OVER (ORDER BY random()) AS k, geom FROM pts
), r AS (
    SELECT :from + a.k AS n, a.geom, random() AS kind, random() AS q, random() AS s,
           (random() - 0.5) * 0.06 AS dx1, (random() - 0.5) * 0.06 AS dy1,
           (random() - 0.5) * 0.06 AS dx2, (random() - 0.5) * 0.06 AS dy2
    FROM a WHERE a.k <= :to - :from
), munis AS (
    SELECT array_agg(code ORDER BY code) AS codes FROM admin_unit WHERE level = 'municipality' AND valid_to IS NULL
)
SELECT r.n,
       CASE WHEN r.kind < 0.60 THEN r.geom
            WHEN r.kind < 0.85 THEN ST_MakeLine(ARRAY[r.geom, ST_Translate(r.geom, r.dx1, r.dy1),
                                                      ST_Translate(r.geom, r.dx1 + r.dx2, r.dy1 + r.dy2)])
            ELSE ST_Buffer(r.geom::geography, 100 + r.s * 750, 'quad_segs=2')::geometry END AS geom,
       CASE WHEN r.q < 0.90 THEN 'exact' WHEN r.q < 0.95 THEN 'approximate'
            WHEN r.q < 0.98 THEN 'municipality' ELSE 'national' END AS precision,
       CASE WHEN r.q >= 0.95 AND r.q < 0.98 THEN munis.codes[1 + (r.n % cardinality(munis.codes))::int] END AS unit_code
FROM r, munis;

