-- Assignments of one project's locations ($1): those valid at $2 (NULL: now), or every row ever
-- written when $3 is true (the history: closed rows have valid_to). $4–$6: the caller's scope.
SELECT json_build_object(
    'project', p.code,
    'as_of', $2::timestamptz,
    'history', $3::boolean,
    'assignments', (
        SELECT coalesce(json_agg(json_build_object(
            'location_id', a.location_id, 'source_id', l.source_id, 'place_name', l.place_name,
            'level', a.level, 'unit_code', a.unit_code, 'unit_version', a.unit_version,
            'name_fr', u.name_fr, 'name_ar', u.name_ar,
            'share', CASE WHEN lg.exact THEN round(a.share::numeric, 6) END,
            'method', CASE WHEN lg.exact THEN a.method END, 'precision', a.precision, 'precision_flag', a.precision_flag,
            'valid_from', a.valid_from, 'valid_to', a.valid_to)
            ORDER BY a.location_id, al.hierarchy DESC, al.depth, a.valid_from, a.share DESC, a.unit_code), '[]')
        FROM location_assignment a
        JOIN admin_level al ON al.level = a.level
        LEFT JOIN admin_unit u ON u.id = a.unit_id
        LEFT JOIN project_location l ON l.id = a.location_id
        -- a masked location (docs/disclosure.md): no share nor method, nothing when withheld
        CROSS JOIN LATERAL (SELECT l.disclosure IS NULL OR l.disclosure = 'exact'
                                   OR mk_location_exact_visible(l.id, p.partner, $4, $5::text, $6::text[]) AS exact) lg
        WHERE a.project_id = p.id AND (lg.exact OR l.disclosure <> 'withheld')
          AND ($3 OR ($2::timestamptz IS NULL AND a.valid_to IS NULL)
               OR ($2 IS NOT NULL AND a.valid_from <= $2 AND (a.valid_to IS NULL OR a.valid_to > $2))))
)::text
FROM project p WHERE p.id = $1
