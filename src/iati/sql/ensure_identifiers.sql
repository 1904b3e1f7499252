-- Give every selected project that has none its permanent IATI identifier: {reporting-org ref}-{code}.
-- $1..$3 the caller's visibility scope (all, partner, municipalities), $4 project code,
-- $5 funder, $6 municipality code (each NULL: no filter). Same selection as activities.sql.
INSERT INTO iati_activity (project_id, identifier)
SELECT p.id, o.ref || '-' || p.code
FROM project p CROSS JOIN iati_reporting_org o
WHERE mk_project_visible(p.id, p.is_public, p.partner, $1, $2::text, $3::text[])
  AND ($4::text IS NULL OR p.code = $4)
  AND ($5::text IS NULL OR p.partner = $5
       OR EXISTS (SELECT 1 FROM funding_line f WHERE f.project_id = p.id AND f.funder = $5))
  AND ($6::text IS NULL OR EXISTS (
       SELECT 1 FROM location_assignment a
       WHERE a.project_id = p.id AND a.level = 'municipality' AND a.valid_to IS NULL AND a.unit_code = $6))
  AND NOT EXISTS (SELECT 1 FROM iati_activity x WHERE x.project_id = p.id)
ON CONFLICT DO NOTHING
