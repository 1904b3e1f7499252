-- A project by code, with the municipalities its locations are assigned to now (for key scopes);
-- access.rs appends the code and the caller's visibility (mk_project_visible).
SELECT p.id, p.code, p.partner, p.is_public, p.status,
       array(SELECT DISTINCT a.unit_code FROM location_assignment a
             WHERE a.project_id = p.id AND a.valid_to IS NULL AND a.level = 'municipality'
               AND a.unit_code IS NOT NULL ORDER BY a.unit_code) AS municipalities
FROM project p
WHERE
