-- The public JSON of a proposal: the columns of proposal_public (and nothing else), its geometry
-- as GeoJSON and a representative point (lon, lat). Every public JSON output uses it.
CREATE OR REPLACE FUNCTION mk_proposal_public_json(q proposal_public)
RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT to_jsonb(q) - 'geom' - 'geom_3857'
           || jsonb_build_object('geometry', ST_AsGeoJSON(q.geom, 7)::jsonb,
                                 'lon', round(ST_X(ST_PointOnSurface(q.geom))::numeric, 7),
                                 'lat', round(ST_Y(ST_PointOnSurface(q.geom))::numeric, 7))
$$;
