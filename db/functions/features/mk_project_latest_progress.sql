-- The latest physical progress reported on project `pid` (its newest event carrying one), or NULL:
-- the one definition of a project's progress, stored in project_feature for items and tiles.
CREATE OR REPLACE FUNCTION mk_project_latest_progress(pid bigint) RETURNS numeric
LANGUAGE sql STABLE AS $$
    SELECT e.physical_pct FROM project_event e
    WHERE e.project_id = pid AND e.physical_pct IS NOT NULL
    ORDER BY e.at DESC, e.id DESC LIMIT 1
$$;
