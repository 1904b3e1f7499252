-- A project by code, with the municipalities its locations lie in now (for key scopes: the rule
-- of migrations/0013_write_rules.sql, mk_project_municipalities) and their shares (for a 403);
-- access.rs appends the code and the caller's visibility (mk_project_visible).
SELECT p.id, p.code, p.partner, p.is_public, p.status,
       mk_project_municipalities(p.id) AS municipalities,
       mk_project_municipality_shares(p.id) AS shares
FROM project p
WHERE
