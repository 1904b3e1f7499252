-- Everything about one project ($1) at $2 (NULL: now): units and shares, zones and verdict, nearest
-- facilities, funding, monitoring and progress. Location geometries are the current ones; as of a
-- past date, the locations are those assigned then.
WITH p AS (
    SELECT * FROM project WHERE id = $1
), a AS MATERIALIZED (
    SELECT a.* FROM location_assignment a
    WHERE a.project_id = $1
      AND (($2::timestamptz IS NULL AND a.valid_to IS NULL)
        OR ($2 IS NOT NULL AND a.valid_from <= $2 AND (a.valid_to IS NULL OR a.valid_to > $2)))
), ap AS (
    SELECT x.level, x.bucket, x.unit_code, x.reason, x.share, x.budget_tnd, x.beneficiaries, x.committed_tnd, x.paid_tnd
    FROM project_apportionment x WHERE $2::timestamptz IS NULL AND x.project_id = $1
    UNION ALL
    SELECT x.level, x.bucket, x.unit_code, x.reason, x.share, x.budget_tnd, x.beneficiaries, x.committed_tnd, x.paid_tnd
    FROM mk_apportion_compute(ARRAY[$1]::bigint[], $2) x WHERE $2::timestamptz IS NOT NULL
), fa AS (
    SELECT x.funding_line_id, x.level, x.bucket, x.amount_tnd
    FROM funding_apportionment x WHERE $2::timestamptz IS NULL AND x.project_id = $1
    UNION ALL
    SELECT x.funding_line_id, x.level, x.bucket, x.amount_tnd
    FROM mk_funding_apportion_compute(ARRAY[$1]::bigint[], $2) x WHERE $2::timestamptz IS NOT NULL
), unit_at AS (
    SELECT u.* FROM admin_unit u
    WHERE ($2::timestamptz IS NULL AND u.valid_to IS NULL)
       OR ($2 IS NOT NULL AND u.valid_from <= $2 AND (u.valid_to IS NULL OR u.valid_to > $2))
), locs AS (
    SELECT l.id, json_build_object(
        'id', l.id, 'source_id', l.source_id, 'precision', l.precision, 'place_name', l.place_name,
        'unit_code', l.unit_code, 'disclosure', l.disclosure, 'geometry', ST_AsGeoJSON(lg.g, 6)::json,
        'assignments', (
            SELECT coalesce(json_agg(json_build_object(
                'level', a.level, 'unit_code', a.unit_code, 'unit_version', a.unit_version,
                'name_fr', u.name_fr, 'name_ar', u.name_ar,
                'share', CASE WHEN lg.exact THEN round(a.share::numeric, 6) END,
                'method', CASE WHEN lg.exact THEN a.method END, 'precision_flag', a.precision_flag, 'valid_from', a.valid_from)
                ORDER BY al.hierarchy DESC, al.depth, a.share DESC, a.unit_code), '[]')
            FROM a JOIN admin_level al ON al.level = a.level LEFT JOIN admin_unit u ON u.id = a.unit_id
            WHERE a.location_id = l.id AND (lg.exact OR l.disclosure <> 'withheld')),
        'conformity', (
            SELECT json_build_object('verdict', c.verdict, 'reason', c.reason, 'summary_fr', c.summary_fr,
                                     'summary_ar', c.summary_ar, 'parts', c.parts)
            FROM location_conformity c WHERE c.location_id = l.id),
        'nearest_facilities', CASE WHEN l.precision IN ('exact', 'approximate') AND lg.g IS NOT NULL THEN (
            SELECT json_object_agg(k.kind, n.j)
            FROM unnest(mk_facility_kinds()) AS k(kind)
            LEFT JOIN LATERAL (
                SELECT json_build_object('id', f.id, 'source_id', f.source_id, 'subtype', f.subtype,
                                         'name', coalesce(f.name_fr, f.name, f.name_ar), 'name_ar', f.name_ar,
                                         'km', round((ST_Distance(f.geom::geography, ST_PointOnSurface(lg.g)::geography) / 1000)::numeric, 3)) AS j
                FROM (SELECT f.* FROM facility f WHERE f.kind = k.kind
                      ORDER BY f.geom <-> ST_PointOnSurface(lg.g) LIMIT 8) f
                ORDER BY ST_Distance(f.geom::geography, ST_PointOnSurface(lg.g)::geography), f.id LIMIT 1
            ) n ON true) END
    ) AS j
    FROM project_location l
    JOIN project pp ON pp.id = l.project_id
    -- the caller's geometry (docs/disclosure.md): exact, or the published one, and then no shares
    -- (they would pin a masked line or polygon) and no assignment at all when withheld
    CROSS JOIN LATERAL (SELECT x.exact, CASE WHEN x.exact THEN l.geom ELSE l.public_geom END AS g
                        FROM (SELECT l.disclosure = 'exact'
                                     OR mk_location_exact_visible(l.id, pp.partner, $3, $4::text, $5::text[]) AS exact) x) lg
    WHERE l.project_id = $1 AND ($2::timestamptz IS NULL OR EXISTS (SELECT 1 FROM a WHERE a.location_id = l.id))
), units AS (
    SELECT json_object_agg(x.level, x.arr) AS j
    FROM (SELECT ap.level, json_agg(json_build_object(
              'bucket', ap.bucket, 'unit_code', ap.unit_code, 'reason', ap.reason,
              'name_fr', u.name_fr, 'name_ar', u.name_ar, 'share', round(ap.share, 6),
              'budget_tnd', ap.budget_tnd, 'beneficiaries', ap.beneficiaries,
              'committed_tnd', ap.committed_tnd, 'paid_tnd', ap.paid_tnd)
              ORDER BY ap.share DESC, ap.bucket) AS arr
          FROM ap LEFT JOIN unit_at u ON u.level = ap.level AND u.code = ap.unit_code
          GROUP BY ap.level) x
), funding AS (
    SELECT coalesce(json_agg(json_build_object(
        'id', fl.id, 'source_kind', fl.source_kind, 'funder', fl.funder, 'amount', fl.amount,
        'currency', fl.currency, 'amount_tnd', fl.amount_tnd, 'note', fl.note,
        'by_unit', (SELECT json_object_agg(y.level, y.arr) FROM (
                        SELECT fa.level, json_agg(json_build_object('bucket', fa.bucket, 'amount_tnd', fa.amount_tnd)
                                                  ORDER BY fa.amount_tnd DESC, fa.bucket) AS arr
                        FROM fa WHERE fa.funding_line_id = fl.id GROUP BY fa.level) y))
        ORDER BY fl.id), '[]') AS j
    FROM funding_line fl WHERE fl.project_id = $1
), progress AS (
    SELECT coalesce(json_agg(json_build_object(
        'id', e.id, 'at', e.at, 'report_date', coalesce(e.data->>'report_date', mk_local_date(e.at)::text),
        'author', e.author, 'physical_pct', e.physical_pct, 'committed_tnd', e.committed_tnd,
        'paid_tnd', e.paid_tnd, 'note', e.note, 'blocked', e.data->'blocked', 'blocked_cause', e.data->'blocked_cause')
        ORDER BY e.at DESC, e.id DESC), '[]') AS j
    FROM project_event e
    WHERE e.project_id = $1 AND e.kind = 'progress' AND ($2::timestamptz IS NULL OR e.at <= $2)
)
SELECT json_build_object(
    'project', json_build_object(
        'id', p.id, 'code', p.code, 'title_fr', p.title_fr, 'title_ar', p.title_ar, 'title_en', p.title_en,
        'theme', p.theme, 'project_type', p.project_type, 'owner', p.owner, 'partner', p.partner,
        'budget_tnd', p.budget_tnd, 'beneficiaries', p.beneficiaries, 'is_public', p.is_public,
        'source', p.source),
    'as_of', $2::timestamptz,
    'monitoring', mk_project_monitoring_json(p.id, $2),
    'warnings', mk_project_warnings(p.id),
    'units', coalesce((SELECT j FROM units), '{}'),
    'conformity', (SELECT json_build_object('verdict', c.verdict, 'assessed_locations', c.assessed,
                                            'locations', c.locations, 'forbidden_share', c.forbidden_share,
                                            'computed_at', c.computed_at)
                   FROM project_conformity c WHERE c.project_id = p.id),
    'locations', (SELECT coalesce(json_agg(locs.j ORDER BY locs.id), '[]') FROM locs),
    'funding', (SELECT j FROM funding),
    'progress', (SELECT j FROM progress),
    'notes', json_build_object(
        'shares', 'A location''s share of a unit: 1 for a point, length share for a line, area share for a polygon; a project''s locations weigh the same.',
        'apportionment', 'Amounts are apportioned by share with largest-remainder rounding: the parts of each project add up to its figure at every level. Buckets starting with ~ hold what no unit holds (~national, ~outside, ~coarser_precision, ~no_location).',
        'conformity', 'Verdicts use the current land-use zones and rules, even as of a past date.')
)::text
FROM p
