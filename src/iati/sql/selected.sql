-- The projects an IATI export selects, the one selection of ensure_identifiers.sql and
-- activities.sql (each is this CTE followed by its query): $1..$3 the caller's visibility scope
-- (all, partner, municipalities), $4 project code, $5 funder, $6 municipality code (each NULL: no
-- filter).
WITH selected AS (
    SELECT p.id
    FROM project p
    WHERE mk_project_visible(p.id, p.is_public, p.partner, $1, $2::text, $3::text[])
      AND ($4::text IS NULL OR p.code = $4)
      AND ($5::text IS NULL OR p.partner = $5
           OR EXISTS (SELECT 1 FROM funding_line f WHERE f.project_id = p.id AND f.funder = $5))
      AND ($6::text IS NULL OR EXISTS (
           SELECT 1 FROM location_assignment la
           WHERE la.project_id = p.id AND la.level = 'municipality' AND la.valid_to IS NULL AND la.unit_code = $6))
)
