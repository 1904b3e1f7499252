-- A new plan ($1 commune, $2 kind, $3 title, $4-$5 period, $6 envelope, $7 author) with its four
-- stages (no dates yet).
WITH p AS (
    INSERT INTO plan (municipality_code, kind, title, period_start, period_end, envelope_tnd, created_by)
    VALUES ($1, $2, $3, $4, $5, $6, $7)
    RETURNING id
), s AS (
    INSERT INTO plan_stage (plan_id, stage)
    SELECT p.id, st FROM p, unnest(ARRAY['diagnosis', 'planning', 'implementation', 'monitoring']) st
)
SELECT id FROM p
