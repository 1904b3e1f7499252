-- The geometry of a location a caller reads: `exact` when mk_location_exact_visible allows it,
-- else `public` (project_location.public_geom or public_geom_3857). The one switch every output
-- uses (layers, tiles, IATI, project context, diagnosis sheet); inlined, so with the anonymous
-- scope it is just `public`.
CREATE OR REPLACE FUNCTION mk_location_geom(exact geometry, public geometry, l_id bigint, p_partner text,
                                   s_all boolean, s_partner text, s_municipalities text[])
RETURNS geometry LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN mk_location_exact_visible(l_id, p_partner, s_all, s_partner, s_municipalities)
                THEN exact ELSE public END
$$;
