-- Status of each project at `t` (NULL: the current one) from the append-only history: the last
-- status an event set at or before t, else the status the first later change started from, else
-- the project's status (never changed). Projects created after t are left out.
CREATE OR REPLACE FUNCTION mk_project_status_at(pids bigint[], t timestamptz)
RETURNS TABLE (project_id bigint, status text, status_note text)
LANGUAGE sql STABLE AS $$
SELECT p.id,
       CASE WHEN t IS NULL THEN p.status ELSE coalesce(
           (SELECT e.to_status FROM project_event e WHERE e.project_id = p.id AND e.to_status IS NOT NULL
             AND e.at <= t ORDER BY e.at DESC, e.id DESC LIMIT 1),
           (SELECT e.from_status FROM project_event e WHERE e.project_id = p.id AND e.from_status IS NOT NULL
             AND e.at > t ORDER BY e.at, e.id LIMIT 1),
           p.status) END,
       (SELECT e.note FROM project_event e WHERE e.project_id = p.id AND e.kind = 'status' AND e.to_status IS NOT NULL
         AND (t IS NULL OR e.at <= t) ORDER BY e.at DESC, e.id DESC LIMIT 1)
FROM project p
WHERE (pids IS NULL OR p.id IN (SELECT unnest(pids))) AND (t IS NULL OR p.created_at <= t)
$$;
