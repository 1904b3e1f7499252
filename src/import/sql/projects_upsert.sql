-- Projects by code. Each input row's `d` holds the fields the file maps (null when a feature has no
-- value); fields the file does not map keep their current value (jsonb_populate_record over the
-- existing row); attrs are merged (the file's keys win). Only rows that actually change are updated.
WITH input AS (
    SELECT * FROM UNNEST($1::text[], $2::jsonb[], $3::jsonb[]) AS t(code, d, attrs)
), merged AS (
    SELECT (jsonb_populate_record(p, i.d || jsonb_build_object('code', i.code, 'attrs', coalesce(p.attrs, '{}') || i.attrs, 'source', $4::text))).*
    FROM input i LEFT JOIN project p ON p.code = i.code
)
INSERT INTO project AS p (code, title_fr, title_ar, title_en, description_fr, description_ar, description_en, theme,
                          project_type, owner, partner, status, planned_start, planned_end, actual_start, actual_end,
                          budget_tnd, beneficiaries, is_public, source, attrs)
SELECT m.code, m.title_fr, m.title_ar, m.title_en, m.description_fr, m.description_ar, m.description_en, m.theme,
       m.project_type, m.owner, m.partner, coalesce(m.status, 'identified'), m.planned_start, m.planned_end,
       m.actual_start, m.actual_end, m.budget_tnd, m.beneficiaries, coalesce(m.is_public, true), m.source,
       coalesce(m.attrs, '{}')
FROM merged m
ON CONFLICT (code) DO UPDATE
SET title_fr = EXCLUDED.title_fr, title_ar = EXCLUDED.title_ar, title_en = EXCLUDED.title_en,
    description_fr = EXCLUDED.description_fr, description_ar = EXCLUDED.description_ar,
    description_en = EXCLUDED.description_en, theme = EXCLUDED.theme, project_type = EXCLUDED.project_type,
    owner = EXCLUDED.owner, partner = EXCLUDED.partner, status = EXCLUDED.status,
    planned_start = EXCLUDED.planned_start, planned_end = EXCLUDED.planned_end,
    actual_start = EXCLUDED.actual_start, actual_end = EXCLUDED.actual_end, budget_tnd = EXCLUDED.budget_tnd,
    beneficiaries = EXCLUDED.beneficiaries, is_public = EXCLUDED.is_public, source = EXCLUDED.source,
    attrs = EXCLUDED.attrs, updated_at = now(), revision = p.revision + 1
WHERE (p.title_fr, p.title_ar, p.title_en, p.description_fr, p.description_ar, p.description_en, p.theme,
       p.project_type, p.owner, p.partner, p.status, p.planned_start, p.planned_end, p.actual_start, p.actual_end,
       p.budget_tnd, p.beneficiaries, p.is_public, p.source, p.attrs)
      IS DISTINCT FROM
      (EXCLUDED.title_fr, EXCLUDED.title_ar, EXCLUDED.title_en, EXCLUDED.description_fr, EXCLUDED.description_ar,
       EXCLUDED.description_en, EXCLUDED.theme, EXCLUDED.project_type, EXCLUDED.owner, EXCLUDED.partner,
       EXCLUDED.status, EXCLUDED.planned_start, EXCLUDED.planned_end, EXCLUDED.actual_start, EXCLUDED.actual_end,
       EXCLUDED.budget_tnd, EXCLUDED.beneficiaries, EXCLUDED.is_public, EXCLUDED.source, EXCLUDED.attrs)
RETURNING p.id, p.code, (xmax = 0) AS inserted, p.status
