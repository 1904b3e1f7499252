-- Projects with their verdicts ($1: verdicts wanted, NULL all; $2: a municipality code or NULL),
-- as visible to the caller ($3 all, $4 partner, $5 municipalities: mk_project_visible).
SELECT p.code, p.title_fr, p.title_ar, p.project_type, p.status, p.partner, p.is_public, c.verdict,
       c.assessed, c.locations, c.forbidden_share,
       array(SELECT DISTINCT a.unit_code FROM location_assignment a
             WHERE a.project_id = p.id AND a.valid_to IS NULL AND a.level = 'municipality'
               AND a.unit_code IS NOT NULL ORDER BY a.unit_code) AS municipalities,
       (SELECT string_agg(DISTINCT lc.summary_fr, ' | ') FROM location_conformity lc
        WHERE lc.project_id = p.id AND lc.summary_fr IS NOT NULL) AS summary_fr,
       (SELECT string_agg(DISTINCT lc.summary_ar, ' | ') FROM location_conformity lc
        WHERE lc.project_id = p.id AND lc.summary_ar IS NOT NULL) AS summary_ar
FROM project p JOIN project_conformity c ON c.project_id = p.id
WHERE ($1::text[] IS NULL OR c.verdict = ANY ($1))
  AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM location_assignment a WHERE a.project_id = p.id
                                   AND a.valid_to IS NULL AND a.level = 'municipality' AND a.unit_code = $2))
  AND mk_project_visible(p.id, p.is_public, p.partner, $3, $4::text, $5::text[])
ORDER BY CASE c.verdict WHEN 'forbidden' THEN 0 WHEN 'conditional' THEN 1 WHEN 'allowed' THEN 2 ELSE 3 END, p.code
