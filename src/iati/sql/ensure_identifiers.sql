-- Give every selected project (selected.sql, prepended) that has none its permanent IATI
-- identifier: {reporting-org ref}-{code}.
INSERT INTO iati_activity (project_id, identifier)
SELECT p.id, o.ref || '-' || p.code
FROM project p CROSS JOIN iati_reporting_org o
WHERE p.id IN (SELECT s.id FROM selected s)
  AND NOT EXISTS (SELECT 1 FROM iati_activity x WHERE x.project_id = p.id)
ON CONFLICT DO NOTHING
