-- Breakdown of every line of level $1 at $2 (NULL: now) [of governorate $3] by $4 (theme, status,
-- funding): one row per line and key, with the line's totals. Statuses: `counted` false for the
-- cancelled (their separate count, outside every other figure). Funding: amount_tnd is the funding
-- lines' apportioned amount; `projects` is NULL (a project can have several sources).
SELECT l.kind, l.level, l.code, l.name_fr, l.name_ar, l.project_count, l.budget_tnd, x.key,
       CASE WHEN $4 = 'funding' THEN NULL ELSE (x.v->>'projects')::int END AS projects,
       CASE WHEN $4 = 'funding' THEN (x.v #>> '{}')::numeric ELSE (x.v->>'budget_tnd')::numeric END AS amount_tnd,
       NOT coalesce($4 = 'status' AND x.key = 'cancelled', false) AS counted,
       s.name_fr AS key_fr, s.name_ar AS key_ar
FROM mk_indicator_lines($1, $2, $3) l
LEFT JOIN LATERAL jsonb_each(CASE $4 WHEN 'theme' THEN l.by_theme WHEN 'status' THEN l.by_status ELSE l.by_funding END)
     AS x(key, v) ON true
LEFT JOIN project_status s ON $4 = 'status' AND s.status = x.key
ORDER BY CASE l.kind WHEN 'unit' THEN 0 WHEN 'unallocated' THEN 1 ELSE 2 END, l.code, x.key
