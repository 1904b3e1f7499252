-- May the caller scope (s_all, s_partner, s_municipalities) see the project (p_id, p_public,
-- p_partner)? A single expression without subquery, so the planner inlines it: with the scope
-- bound it folds to `p.is_public` (anonymous), `true` (admin), `p.is_public OR p.partner = '…'`
-- (partner) or `p.is_public OR mk_project_assigned_to(p.id, '{…}')` (planner; the lookup runs for
-- non-public rows only).
CREATE OR REPLACE FUNCTION mk_project_visible(p_id bigint, p_public boolean, p_partner text,
                                   s_all boolean, s_partner text, s_municipalities text[])
RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT p_public OR s_all OR coalesce(p_partner = s_partner, false)
        OR (coalesce(cardinality(s_municipalities), 0) > 0 AND mk_project_assigned_to(p_id, s_municipalities))
$$;
