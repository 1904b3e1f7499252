-- Data quality: per municipality (the current assignment of a project's locations), the projects
-- with warnings. $1 municipality code (NULL: every municipality); $2, $3, $4 the caller's visibility
-- scope (all, partner, municipalities: src/auth/visibility.rs): lists follow the caller's scope.
-- Warnings (docs/indicators.md):
--   funding_mismatch   the funding lines do not add up to the budget (or no funding line, with a budget)
--   stalled            works without physical progress between two reports 180 days or more apart,
--                      or blocked (monitoring)
--   no_precision       a location known only at governorate or national level, or no location at all
--   backdated_correction  an event recorded as a correction dated before an earlier-recorded event
--                      (hook: events of kind 'correction' or with data.correction; none exist before
--                      corrections are added)
WITH m AS (
    SELECT DISTINCT a.project_id, a.unit_code
    FROM location_assignment a
    WHERE a.level = 'municipality' AND a.valid_to IS NULL AND a.unit_code IS NOT NULL
      AND ($1::text IS NULL OR a.unit_code = $1)
), f AS (
    SELECT fl.project_id, sum(fl.amount_tnd) AS funding_tnd, count(*) AS lines
    FROM funding_line fl GROUP BY fl.project_id
), w AS (
    SELECT p.id, p.code, p.title_fr, p.title_ar, p.title_en, p.status, p.budget_tnd, p.partner, p.is_public,
           f.funding_tnd,
           (p.budget_tnd IS NOT NULL AND coalesce(f.funding_tnd, 0) <> p.budget_tnd) AS funding_mismatch,
           coalesce(pm.blocked, false) AS stalled, pm.blocked_cause,
           (NOT EXISTS (SELECT 1 FROM project_location l WHERE l.project_id = p.id)
            OR EXISTS (SELECT 1 FROM project_location l WHERE l.project_id = p.id
                       AND l.precision IN ('governorate', 'national'))) AS no_precision,
           (SELECT count(*) FROM project_event e WHERE e.project_id = p.id
              AND (e.kind::text = 'correction' OR e.data ? 'correction')
              AND EXISTS (SELECT 1 FROM project_event o WHERE o.project_id = p.id AND o.id < e.id AND o.at > e.at))
              AS backdated_corrections
    FROM project p
    LEFT JOIN f ON f.project_id = p.id
    LEFT JOIN project_monitor pm ON pm.project_id = p.id
)
SELECT coalesce(m.unit_code, '~none') AS municipality, u.name_fr AS municipality_fr, u.name_ar AS municipality_ar,
       p.code, p.title_fr, p.title_ar, p.title_en, p.status, p.budget_tnd::text, p.funding_tnd::text,
       p.funding_mismatch, p.stalled, p.blocked_cause, p.no_precision, p.backdated_corrections::int
FROM w p
LEFT JOIN m ON m.project_id = p.id
LEFT JOIN admin_unit u ON u.level = 'municipality' AND u.code = m.unit_code AND u.valid_to IS NULL
WHERE (p.funding_mismatch OR p.stalled OR p.no_precision OR p.backdated_corrections > 0)
  AND ($1::text IS NULL OR m.unit_code IS NOT NULL)
  AND mk_project_visible(p.id, p.is_public, p.partner, $2, $3::text, $4::text[])
ORDER BY 1, p.code
