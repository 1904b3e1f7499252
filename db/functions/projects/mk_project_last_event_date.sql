-- The date of a project's latest dated event (status changes and progress reports): the date
-- the event says it happened (report_date, date), else the local date it was recorded.
CREATE OR REPLACE FUNCTION mk_project_last_event_date(pid bigint) RETURNS date
LANGUAGE sql STABLE AS $$
SELECT max(coalesce(mk_json_date(e.data->>'report_date'), mk_json_date(e.data->>'date'), mk_local_date(e.at)))
FROM project_event e WHERE e.project_id = pid AND e.kind IN ('status', 'progress')
$$;
