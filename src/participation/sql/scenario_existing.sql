-- Existing facilities within reach of the demand points ($1 lon[], $2 lat[]): for each facility
-- type $3[i], the pairs (unit index, facility id) closer than $4[i] metres on the spheroid
-- (ST_DWithin on geography; the box test only narrows the search, at least 80 km a degree).
WITH u AS (
    SELECT (i - 1)::int AS unit, ST_SetSRID(ST_MakePoint(x, y), 4326) AS geom
    FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS t(x, y, i)
), k AS (
    SELECT kind, d FROM unnest($3::text[], $4::float8[]) AS t(kind, d)
)
SELECT u.unit, f.id, f.kind
FROM u CROSS JOIN k
JOIN facility f ON f.kind = k.kind AND f.geom && ST_Expand(u.geom, k.d / 80000.0)
               AND ST_DWithin(f.geom::geography, u.geom::geography, k.d)
ORDER BY u.unit, f.id
