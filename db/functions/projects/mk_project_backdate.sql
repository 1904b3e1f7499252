-- mk_project_backdate(ids): projects an import just created existed since their approval
-- (planned_start, first instant of that day in Tunisia): created_at moves back to it, and the first
-- assignment rows of their locations are valid since then (or since their unit version became
-- valid, when later) — the rule migration 0005's backfill applied. Only current rows are touched.
CREATE OR REPLACE FUNCTION mk_project_backdate(ids bigint[]) RETURNS void LANGUAGE sql AS $$
UPDATE project p SET created_at = p.planned_start::timestamp AT TIME ZONE 'Africa/Tunis'
WHERE p.id = ANY(ids) AND p.planned_start IS NOT NULL
  AND (p.planned_start::timestamp AT TIME ZONE 'Africa/Tunis') < p.created_at;
UPDATE location_assignment a SET valid_from = p.created_at
FROM project p
WHERE p.id = ANY(ids) AND p.id = a.project_id AND a.unit_id IS NULL AND a.valid_to IS NULL
  AND p.created_at < a.valid_from;
UPDATE location_assignment a SET valid_from = greatest(p.created_at, u.valid_from)
FROM project p, admin_unit u
WHERE p.id = ANY(ids) AND p.id = a.project_id AND u.id = a.unit_id AND a.valid_to IS NULL
  AND greatest(p.created_at, u.valid_from) < a.valid_from;
$$;
