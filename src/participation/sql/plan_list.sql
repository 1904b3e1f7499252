-- Plans of commune $1 (NULL: all).
SELECT json_build_object('plans', coalesce(json_agg(json_build_object(
    'id', p.id, 'municipality_code', p.municipality_code, 'kind', p.kind, 'title', p.title,
    'period_start', p.period_start, 'period_end', p.period_end, 'status', p.status, 'version', p.version)
    ORDER BY p.municipality_code, p.period_start, p.id), '[]'))::text
FROM plan p WHERE $1::text IS NULL OR p.municipality_code = $1
