-- One visibility rule for projects (issue 8): who may see a project is decided here and nowhere
-- else. Features, tiles, downloads, project context/history, conformity, indicators and the
-- diagnosis sheet all call mk_project_visible (see docs/visibility.md).
--
-- A caller may see a project when it is public; or the caller is an admin (s_all); or a partner
-- key whose partner equals the project's partner; or a planner key and one of the project's
-- locations is ASSIGNED now (location_assignment, level 'municipality', valid_to IS NULL) to one
-- of the key's municipalities. Assignment, not geometry: it is the system's own answer to "which
-- municipality is this location in" (shared-edge rule, apportionment) and it already decides edit
-- rights, so seeing and editing agree.
--
-- The anonymous scope is (false, NULL, '{}'): it sees exactly the public projects; published
-- figures (indicators, indicator tiles, diagnosis totals) count the projects of that scope.

-- the planner branch looks up a project's current municipality assignments
CREATE INDEX location_assignment_project_municipality ON location_assignment (project_id, unit_code)
    WHERE valid_to IS NULL AND level = 'municipality';

-- Is one of project p_id's locations assigned now to one of these municipalities? A helper of
-- mk_project_visible only. A subquery cannot be inlined, so it is its own function; plpgsql, so the
-- planner does not parse it again at every planning only to find it cannot inline it (its plan is
-- cached per session).
CREATE FUNCTION mk_project_assigned_to(p_id bigint, municipalities text[]) RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM location_assignment a
                   WHERE a.project_id = p_id AND a.valid_to IS NULL AND a.level = 'municipality'
                     AND a.unit_code = ANY (municipalities));
END $$;

-- May the caller scope (s_all, s_partner, s_municipalities) see the project (p_id, p_public,
-- p_partner)? A single expression without subquery, so the planner inlines it: with the scope
-- bound it folds to `p.is_public` (anonymous), `true` (admin), `p.is_public OR p.partner = '…'`
-- (partner) or `p.is_public OR mk_project_assigned_to(p.id, '{…}')` (planner; the lookup runs for
-- non-public rows only).
CREATE FUNCTION mk_project_visible(p_id bigint, p_public boolean, p_partner text,
                                   s_all boolean, s_partner text, s_municipalities text[])
RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT p_public OR s_all OR coalesce(p_partner = s_partner, false)
        OR (coalesce(cardinality(s_municipalities), 0) > 0 AND mk_project_assigned_to(p_id, s_municipalities))
$$;

-- Indicators are published statistics: they count the projects the anonymous scope sees. Rewrite
-- the one `p.is_public` of mk_indicators_compute (migration 0005) as that call, without copying
-- the function.
DO $$
DECLARE
    def text := pg_get_functiondef('mk_indicators_compute(text, text[], timestamptz)'::regprocedure);
    old text := 'JOIN project p ON p.id = ap.project_id AND p.is_public';
BEGIN
    IF position(old IN def) = 0 THEN
        RAISE EXCEPTION 'mk_indicators_compute: the public-projects join was not found';
    END IF;
    EXECUTE replace(def, old, 'JOIN project p ON p.id = ap.project_id '
        'AND mk_project_visible(p.id, p.is_public, p.partner, false, NULL, ''{}'')');
END $$;
