-- A new project answering a proposal ($1 code, $2 title_fr, $3 title_ar, $4 theme, $5 type,
-- $6 budget; status identified), placed at the proposal's geometry ($7 proposal id). The
-- database assigns it to units and checks conformity (migration 0005 triggers).
WITH pr AS (
    INSERT INTO project (code, title_fr, title_ar, theme, project_type, budget_tnd, source)
    VALUES ($1, $2, $3, $4, $5, $6, 'participation')
    RETURNING id
)
INSERT INTO project_location (project_id, source_id, precision, geom)
SELECT pr.id, 'proposal-' || p.id, CASE WHEN GeometryType(p.geom) = 'POINT' THEN 'exact' ELSE 'approximate' END, p.geom
FROM pr, proposal p WHERE p.id = $7
RETURNING project_id
