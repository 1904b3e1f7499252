-- Insert or update the project of an imported activity. $1 existing id (NULL: new), $2 code,
-- $3..$5 title ar/fr/en, $6..$8 description ar/fr/en, $9 DAC sector code (theme through
-- iati_sector), $10 owner, $11 partner, $12 IATI status code, $13..$16 planned start, actual
-- start, planned end, actual end, $17 budget (TND), $18 source. Returns (id, changed).
WITH st AS (
    SELECT status FROM project_status ORDER BY abs(iati_code - $12::int), rank LIMIT 1
), th AS (
    SELECT (SELECT theme FROM iati_sector WHERE dac_code = $9::text) AS theme
), ins AS (
    INSERT INTO project (code, title_ar, title_fr, title_en, description_ar, description_fr, description_en,
                         theme, owner, partner, status, planned_start, actual_start, planned_end, actual_end,
                         budget_tnd, is_public, source)
    SELECT $2, $3, $4, $5, $6, $7, $8, th.theme, $10, $11, st.status, $13, $14, $15, $16, $17, true, $18
    FROM st, th WHERE $1::bigint IS NULL
    RETURNING id
), upd AS (
    UPDATE project p
    SET title_ar = $3, title_fr = $4, title_en = $5, description_ar = $6, description_fr = $7,
        description_en = $8, theme = th.theme, owner = $10, status = st.status, planned_start = $13,
        actual_start = $14, planned_end = $15, actual_end = $16, budget_tnd = $17,
        updated_at = now(), revision = p.revision + 1
    FROM st, th
    WHERE p.id = $1::bigint
      AND (p.title_ar, p.title_fr, p.title_en, p.description_ar, p.description_fr, p.description_en,
           p.theme, p.owner, p.status, p.planned_start, p.actual_start, p.planned_end, p.actual_end, p.budget_tnd)
          IS DISTINCT FROM ($3, $4, $5, $6, $7, $8, th.theme, $10, st.status, $13::date, $14::date,
                            $15::date, $16::date, $17::numeric)
    RETURNING p.id
)
SELECT id, true FROM ins
UNION ALL SELECT id, true FROM upd
UNION ALL SELECT $1::bigint, false WHERE $1::bigint IS NOT NULL AND NOT EXISTS (SELECT 1 FROM upd)
