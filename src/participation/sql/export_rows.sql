-- Open-data rows of the public proposals of commune $1 (NULL: all): public columns only, with
-- coordinates (a representative point, and the geometry as GeoJSON).
SELECT q.id, q.municipality_code, q.delegation_code, q.zone_code, q.theme, q.lang, q.title, q.body, q.address,
       q.state, q.answer, q.answered_at::text AS answered_at, q.project_code, q.landuse_class, q.conformity_hint,
       q.supports, q.verified_supports, q.comments, q.published_at::text AS published_at,
       ST_X(ST_PointOnSurface(q.geom)) AS lon, ST_Y(ST_PointOnSurface(q.geom)) AS lat,
       ST_AsGeoJSON(q.geom, 7) AS geometry
FROM proposal_public q
WHERE ($1::text IS NULL OR q.municipality_code = $1)
ORDER BY q.id
