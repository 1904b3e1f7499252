-- The places of scenario candidates ($1: [{idx, geometry (GeoJSON text), proposal_id, project}]):
-- the given point, else the public proposal's point, else the public project's first location
-- as published (public_geom: its disclosure level, docs/disclosure.md);
-- with the tags and conformity hint of a facility there (mk_participation_tags).
SELECT c.idx, ST_X(g.pt) AS lon, ST_Y(g.pt) AS lat, t.municipality_code, t.landuse_class, t.conformity_hint
FROM jsonb_to_recordset($1) AS c(idx int, geometry text, proposal_id bigint, project text)
CROSS JOIN LATERAL (SELECT coalesce(
    ST_SetSRID(ST_GeomFromGeoJSON(c.geometry), 4326),
    (SELECT ST_PointOnSurface(q.geom) FROM proposal_public q WHERE q.id = c.proposal_id),
    (SELECT ST_PointOnSurface(l.public_geom) FROM project_location l JOIN project p ON p.id = l.project_id
     WHERE p.code = c.project AND mk_project_visible(p.id, p.is_public, p.partner, false, NULL, '{}')
       AND l.public_geom IS NOT NULL
     ORDER BY l.id LIMIT 1)) AS pt) g
LEFT JOIN LATERAL mk_participation_tags(g.pt, 'facility') t ON g.pt IS NOT NULL
ORDER BY c.idx
