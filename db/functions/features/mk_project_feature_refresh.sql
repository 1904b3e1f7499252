-- Recompute project_feature (migration 0029) for the projects `pids`: the number of locations and
-- the GeoJSON of the collection of their public geometries (`public_geom`, what the anonymous
-- scope of mk_location_geom reads), in location order, as the `projects` items print it.
CREATE OR REPLACE FUNCTION mk_project_feature_refresh(pids bigint[]) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM project_feature f WHERE f.project_id = ANY (pids);
    INSERT INTO project_feature (project_id, locations, geojson)
    SELECT l.project_id, count(*), ST_AsGeoJSON(ST_Collect(l.public_geom ORDER BY l.id), 7)
    FROM project_location l JOIN project p ON p.id = l.project_id
    WHERE l.project_id = ANY (pids)
    GROUP BY l.project_id;
$$;
