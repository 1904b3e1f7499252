-- Recompute project_feature (migration 0031) for the projects `pids`: the number of locations, the
-- GeoJSON of the collection of their public geometries (`public_geom`, what the anonymous scope of
-- mk_location_geom reads) in location order, and the latest progress report
-- (mk_project_latest_progress), as the `projects` items and tiles print them. A project with
-- neither a location nor a progress report, or that no longer exists, gets no row (it reads as 0
-- locations, no geometry, no progress).
CREATE OR REPLACE FUNCTION mk_project_feature_refresh(pids bigint[]) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM project_feature f WHERE f.project_id = ANY (pids);
    INSERT INTO project_feature (project_id, locations, geojson, physical_pct)
    SELECT p.id, g.n, g.geojson, e.physical_pct
    FROM project p,
         LATERAL (SELECT count(*)::int AS n, ST_AsGeoJSON(ST_Collect(l.public_geom ORDER BY l.id), 7) AS geojson
                  FROM project_location l WHERE l.project_id = p.id) g,
         LATERAL (SELECT mk_project_latest_progress(p.id) AS physical_pct) e
    WHERE p.id = ANY (pids) AND (g.n > 0 OR e.physical_pct IS NOT NULL);
$$;
