-- May the caller scope (s_all, s_partner, s_municipalities) see the exact geometry of location
-- l_id of a project of partner p_partner? Admins, the project's partner, and planners of the
-- municipality the location is assigned to now (docs/disclosure.md). Everyone else reads
-- public_geom. A single expression: with the anonymous scope bound it folds to false.
CREATE OR REPLACE FUNCTION mk_location_exact_visible(l_id bigint, p_partner text,
                                   s_all boolean, s_partner text, s_municipalities text[])
RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT s_all OR coalesce(p_partner = s_partner, false)
        OR (coalesce(cardinality(s_municipalities), 0) > 0 AND mk_location_assigned_to(l_id, s_municipalities))
$$;
