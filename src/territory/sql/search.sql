-- Name search over the units valid at $4 (NULL: the current units). $1 query text, $2 level (NULL: all
-- levels), $3 limit.
-- The query is folded with mk_fold (the same folding as the generated search_key column), LIKE
-- metacharacters are escaped, and matched as a substring of search_key (trigram GIN index).
-- Tiers: 3 a name equals the query, 2 a word starts with it, 1 substring, 0 fuzzy (pg_trgm
-- word similarity, `<%`, only when nothing matched as a substring).
-- score = tier + the best trigram similarity between the query and one of the unit's names.
WITH q AS (
    SELECT mk_fold($1) AS k,
           replace(replace(replace(mk_fold($1), '\', '\\'), '%', '\%'), '_', '\_') AS esc
),
matched AS (
    SELECT u.level, u.code, u.name_ar, u.name_fr, u.name_en, u.parent_code,
           CASE
               WHEN q.k IN (mk_fold(u.name_ar), mk_fold(u.name_fr), mk_fold(u.name_en)) THEN 3
               WHEN ' ' || u.search_key LIKE '% ' || q.esc || '%' THEN 2
               ELSE 1
           END AS tier
    FROM admin_unit u, q
    WHERE (($4::timestamptz IS NULL AND u.valid_to IS NULL) OR ($4 IS NOT NULL AND u.valid_from <= $4 AND (u.valid_to IS NULL OR u.valid_to > $4)))
      AND ($2::text IS NULL OR u.level = $2::text)
      AND u.search_key LIKE '%' || replace(replace(replace(mk_fold($1), '\', '\\'), '%', '\%'), '_', '\_') || '%'
),
fuzzy AS (
    SELECT u.level, u.code, u.name_ar, u.name_fr, u.name_en, u.parent_code, 0 AS tier
    FROM admin_unit u
    WHERE NOT EXISTS (SELECT 1 FROM matched)
      AND (($4::timestamptz IS NULL AND u.valid_to IS NULL) OR ($4 IS NOT NULL AND u.valid_from <= $4 AND (u.valid_to IS NULL OR u.valid_to > $4)))
      AND ($2::text IS NULL OR u.level = $2::text)
      AND mk_fold($1) <% u.search_key
),
hits AS (
    SELECT * FROM matched
    UNION ALL
    SELECT * FROM fuzzy
)
SELECT h.level, h.code, h.name_ar, h.name_fr, h.name_en, h.parent_code,
       (h.tier + coalesce(greatest(similarity(q.k, mk_fold(h.name_ar)),
                                   similarity(q.k, mk_fold(h.name_fr)),
                                   similarity(q.k, mk_fold(h.name_en))), 0))::float8 AS score
FROM hits h
JOIN admin_level l ON l.level = h.level
CROSS JOIN q
ORDER BY score DESC, l.hierarchy = 'municipal', l.hierarchy, l.depth, h.code COLLATE "C"
LIMIT $3
