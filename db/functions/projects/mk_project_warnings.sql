-- What is accepted but should be looked at: [{code, message}].
CREATE OR REPLACE FUNCTION mk_project_warnings(pid bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
WITH p AS (SELECT id, budget_tnd, status FROM project WHERE id = pid),
f AS (SELECT count(*) AS n, coalesce(sum(amount_tnd), 0) AS total FROM funding_line WHERE project_id = pid),
m AS (SELECT g.physical_pct FROM mk_project_progress(ARRAY[pid], NULL) g)
SELECT coalesce(jsonb_agg(w), '[]') FROM (
    SELECT jsonb_build_object('code', 'funding_mismatch',
        'message', format('funding lines add up to %s TND but the budget is %s TND (difference %s)',
                          f.total, p.budget_tnd, f.total - p.budget_tnd),
        'funding_tnd', f.total, 'budget_tnd', p.budget_tnd) AS w
    FROM p, f WHERE f.n > 0 AND p.budget_tnd IS NOT NULL AND f.total <> p.budget_tnd
    UNION ALL
    SELECT jsonb_build_object('code', 'funding_without_budget',
        'message', format('funding lines add up to %s TND but the project has no budget', f.total))
    FROM p, f WHERE f.n > 0 AND p.budget_tnd IS NULL
    UNION ALL
    SELECT jsonb_build_object('code', 'completed_without_progress',
        'message', 'the project is completed but no physical progress was ever reported')
    FROM p WHERE p.status = 'completed' AND NOT EXISTS (SELECT 1 FROM m WHERE m.physical_pct IS NOT NULL)
) x
$$;
