-- One JSON document per IATI activity (docs/iati.md), in identifier order, of the projects
-- `selected` (selected.sql, prepended). Amounts are text (exact decimals); coordinates have 6 decimals.
SELECT jsonb_build_object(
    'identifier', a.identifier,
    'reporting_ref', coalesce(a.reporting_ref, o.ref),
    'reporting_type', coalesce(a.reporting_type, o.org_type),
    'reporting_names', CASE WHEN a.reporting_ref IS NULL
        THEN jsonb_build_object('ar', o.name_ar, 'fr', o.name_fr, 'en', o.name_en)
        ELSE coalesce(a.reporting_names, '{}') END,
    'title', jsonb_strip_nulls(jsonb_build_object('ar', p.title_ar, 'fr', p.title_fr, 'en', p.title_en)),
    'description', jsonb_strip_nulls(jsonb_build_object('ar', p.description_ar, 'fr', p.description_fr, 'en', p.description_en)),
    'funders', coalesce((SELECT jsonb_agg(DISTINCT f.funder) FROM funding_line f
                         WHERE f.project_id = p.id AND f.funder IS NOT NULL), '[]'),
    'owner', p.owner,
    'status', s.iati_code,
    'dates', jsonb_strip_nulls(jsonb_build_object('1', p.planned_start, '2', p.actual_start,
                                                  '3', p.planned_end, '4', p.actual_end)),
    'sector', sec.dac_code,
    'budget', CASE WHEN p.budget_tnd IS NOT NULL AND p.planned_start IS NOT NULL AND p.planned_end IS NOT NULL
        THEN jsonb_build_object('value', trim_scale(p.budget_tnd)::text, 'start', p.planned_start, 'end', p.planned_end) END,
    'locations', coalesce((
        SELECT jsonb_agg(jsonb_build_object(
                   'ref', l.source_id, 'precision', m.precision, 'name', l.place_name,
                   'unit_code', m.unit_code, 'level', al.iati_level,
                   'lat', round(ST_Y(pt.g)::numeric, 6)::text, 'lon', round(ST_X(pt.g)::numeric, 6)::text)
                 ORDER BY l.source_id)
        FROM project_location l
        -- the caller's geometry (docs/disclosure.md): exact, or the published one; a displaced
        -- location is approximate, a unit one its municipality, a withheld one is left out
        CROSS JOIN LATERAL (SELECT mk_location_exact_visible(l.id, p.partner, $1, $2::text, $3::text[])
                                   OR l.disclosure = 'exact' AS exact) v
        CROSS JOIN LATERAL (SELECT CASE WHEN v.exact THEN l.geom ELSE l.public_geom END AS g) lg
        CROSS JOIN LATERAL (SELECT CASE WHEN v.exact OR l.precision NOT IN ('exact', 'approximate') THEN l.precision
                                        WHEN l.disclosure = 'displaced' THEN 'approximate'
                                        ELSE 'municipality' END AS precision,
                                   CASE WHEN v.exact OR l.precision NOT IN ('exact', 'approximate') OR l.disclosure = 'displaced'
                                        THEN l.unit_code
                                        ELSE (SELECT u.code FROM admin_unit u WHERE u.level = 'municipality' AND u.valid_to IS NULL
                                              AND ST_Intersects(u.geom, lg.g) ORDER BY u.code LIMIT 1) END AS unit_code) m
        LEFT JOIN iati_admin_level al ON al.level = m.precision
        CROSS JOIN LATERAL (SELECT CASE WHEN GeometryType(lg.g) = 'POINT' THEN lg.g
                                        ELSE ST_PointOnSurface(lg.g) END AS g) pt
        WHERE l.project_id = p.id AND lg.g IS NOT NULL), '[]'),
    'transaction_date', coalesce(p.planned_start, p.actual_start),
    'commitments', coalesce((
        SELECT jsonb_agg(jsonb_build_object('value', trim_scale(f.amount_tnd)::text, 'funder', f.funder) ORDER BY f.id)
        FROM funding_line f WHERE f.project_id = p.id), '[]'),
    'disbursements', coalesce((
        SELECT jsonb_agg(jsonb_build_object('value', trim_scale(d.paid)::text, 'date', d.day) ORDER BY d.at)
        FROM (SELECT e.at, (e.at AT TIME ZONE 'Africa/Tunis')::date AS day,
                     e.paid_tnd - coalesce(lag(e.paid_tnd) OVER (ORDER BY e.at, e.id), 0) AS paid
              FROM project_event e
              WHERE e.project_id = p.id AND e.kind = 'progress' AND e.paid_tnd IS NOT NULL) d
        WHERE d.paid > 0), '[]')
) AS doc
FROM project p
JOIN iati_activity a ON a.project_id = p.id
JOIN project_status s ON s.status = p.status
CROSS JOIN iati_reporting_org o
LEFT JOIN iati_sector sec ON sec.theme = p.theme
WHERE p.id IN (SELECT s.id FROM selected s)
ORDER BY a.identifier
