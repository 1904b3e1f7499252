-- One 'imported' event per project the import created or changed (project_event is append-only).
-- A project the import creates ($7) is dated by the file (docs/dates.md): its 'imported' event at its
-- approval (planned_start, the first instant of that day in Tunisia), and, when the file says it is
-- completed or cancelled, a 'status' event at its closing date (actual_end, else planned_end). Until
-- closing it was works_under_way (completed) or approved (cancelled). Dates after now are now.
WITH t AS (
    SELECT t.*, p.planned_start, coalesce(p.actual_end, p.planned_end) AS closing, p.status
    FROM UNNEST($1::int8[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $7::bool[])
         AS t(id, code, from_status, to_status, data, inserted)
    JOIN project p ON p.id = t.id
), d AS (
    SELECT t.*,
           t.inserted AND t.planned_start IS NOT NULL AS dated,
           t.inserted AND t.planned_start IS NOT NULL AND t.closing IS NOT NULL AND t.closing >= t.planned_start
               AND t.status IN ('completed', 'cancelled') AS closed
    FROM t
)
INSERT INTO project_event (project_id, project_code, at, kind, author, from_status, to_status, note, data)
SELECT d.id, d.code,
       CASE WHEN d.dated THEN least(now(), d.planned_start::timestamp AT TIME ZONE 'Africa/Tunis') ELSE now() END,
       'imported', 'import', d.from_status,
       CASE WHEN d.closed THEN CASE d.status WHEN 'completed' THEN 'works_under_way' ELSE 'approved' END
            ELSE d.to_status END,
       $6, CASE WHEN d.dated THEN d.data || '{"dated_by": "planned_start (approval date)"}' ELSE d.data END
FROM d
UNION ALL
SELECT d.id, d.code, least(now(), d.closing::timestamp AT TIME ZONE 'Africa/Tunis'), 'status', 'import',
       CASE d.status WHEN 'completed' THEN 'works_under_way' ELSE 'approved' END, d.status,
       $6 || ' (closing date from the source)', d.data || '{"dated_by": "actual_end, else planned_end (closing date)"}'
FROM d WHERE d.closed
ORDER BY 3
