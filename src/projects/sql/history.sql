-- The append-only history of one project ($1), with its monitoring now.
SELECT json_build_object(
    'project', p.code,
    'monitoring', mk_project_monitoring_json(p.id, NULL),
    'events', (SELECT coalesce(json_agg(json_build_object(
                   'id', e.id, 'at', e.at, 'kind', e.kind, 'author', e.author,
                   -- the date the change says it happened, else the local date it was recorded
                   'date', coalesce(mk_json_date(e.data->>'report_date'), mk_json_date(e.data->>'date'), mk_local_date(e.at)),
                   'from_status', e.from_status, 'to_status', e.to_status,
                   'physical_pct', e.physical_pct, 'committed_tnd', e.committed_tnd, 'paid_tnd', e.paid_tnd,
                   'note', e.note, 'data', e.data) ORDER BY e.at, e.id), '[]')
               FROM project_event e WHERE e.project_id = p.id),
    'transitions', (SELECT json_agg(json_build_object('from', t.from_status, 'to', t.to_status, 'note', t.note)
                                    ORDER BY f.rank, s.rank)
                    FROM project_status_transition t JOIN project_status f ON f.status = t.from_status
                    JOIN project_status s ON s.status = t.to_status)
)::text
FROM project p WHERE p.id = $1
