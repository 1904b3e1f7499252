-- One 'imported' event per project the import created or changed (project_event is append-only).
INSERT INTO project_event (project_id, project_code, kind, author, from_status, to_status, note, data)
SELECT t.id, t.code, 'imported', 'import', t.from_status, t.to_status, $6, t.data
FROM UNNEST($1::int8[], $2::text[], $3::text[], $4::text[], $5::jsonb[]) AS t(id, code, from_status, to_status, data)
