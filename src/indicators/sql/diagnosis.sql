-- Diagnosis of unit $1/$2 at $3 (NULL: now): its indicators, its peers in the governorate, the
-- governorate and the nation (published figures: public projects), its projects (as visible to the
-- caller: $4 all, $5 partner, $6 municipalities, through mk_project_visible), and what a small map needs (Web Mercator, SVG path with y
-- pointing down).
WITH g AS (
    SELECT $7::text AS gov
), lines AS MATERIALIZED (
    SELECT * FROM mk_indicator_lines($1, $3, CASE WHEN $1 = 'governorate' THEN NULL ELSE (SELECT gov FROM g) END)
), unit AS (
    SELECT u.* FROM admin_unit u
    WHERE u.level = $1 AND u.code = $2
      AND (($3::timestamptz IS NULL AND u.valid_to IS NULL)
        OR ($3 IS NOT NULL AND u.valid_from <= $3 AND (u.valid_to IS NULL OR u.valid_to > $3)))
), ap AS (
    SELECT a.project_id, a.share, a.budget_tnd FROM project_apportionment a
    WHERE $3::timestamptz IS NULL AND a.level = $1 AND a.bucket = $2
    UNION ALL
    SELECT a.project_id, a.share, a.budget_tnd FROM mk_apportion_compute(NULL, $3) a
    WHERE $3::timestamptz IS NOT NULL AND a.level = $1 AND a.bucket = $2
), st AS (
    SELECT m.project_id, m.status, m.physical_pct, m.execution_rate, m.delayed, m.blocked, m.blocked_cause
    FROM project_monitor m JOIN ap ON ap.project_id = m.project_id WHERE $3::timestamptz IS NULL
    UNION ALL
    SELECT s.project_id, s.status, s.physical_pct, s.execution_rate, s.delayed, s.blocked, s.blocked_cause
    FROM mk_project_state(array(SELECT project_id FROM ap), $3) s WHERE $3::timestamptz IS NOT NULL
), projects AS MATERIALIZED (
    SELECT p.id, p.partner, p.code, p.title_fr, p.title_ar, p.title_en, p.theme, p.project_type, p.budget_tnd AS project_budget_tnd,
           ap.share, ap.budget_tnd, st.status, ps.name_fr AS status_fr, ps.name_ar AS status_ar, st.physical_pct,
           st.execution_rate, st.delayed, st.blocked, st.blocked_cause, c.verdict
    FROM ap JOIN project p ON p.id = ap.project_id
    JOIN st ON st.project_id = p.id
    JOIN project_status ps ON ps.status = st.status
    LEFT JOIN project_conformity c ON c.project_id = p.id
    WHERE mk_project_visible(p.id, p.is_public, p.partner, $4, $5::text, $6::text[])
), box AS (
    SELECT u.geom_3857 AS g, ST_XMin(u.geom_3857) AS x0, ST_YMax(u.geom_3857) AS y1,
           greatest(ST_XMax(u.geom_3857) - ST_XMin(u.geom_3857), 1) AS w,
           greatest(ST_YMax(u.geom_3857) - ST_YMin(u.geom_3857), 1) AS h
    FROM unit u
), dots AS (
    SELECT DISTINCT ON (l.id) ST_X(ST_Transform(ST_PointOnSurface(lg.g), 3857)) AS x,
           ST_Y(ST_Transform(ST_PointOnSurface(lg.g), 3857)) AS y, pr.code, pr.verdict, pr.status
    FROM projects pr JOIN project_location l ON l.project_id = pr.id
    -- the caller's geometry (docs/disclosure.md); a withheld location has no dot
    CROSS JOIN LATERAL (SELECT mk_location_geom(l.geom, l.public_geom, l.id, pr.partner, $4, $5::text, $6::text[]) AS g) lg
    JOIN location_assignment a ON a.location_id = l.id AND a.level = $1 AND a.unit_code = $2
         AND (($3::timestamptz IS NULL AND a.valid_to IS NULL)
           OR ($3 IS NOT NULL AND a.valid_from <= $3 AND (a.valid_to IS NULL OR a.valid_to > $3)))
    WHERE l.precision IN ('exact', 'approximate') AND lg.g IS NOT NULL
), shapes AS (
    -- the same locations drawn as what they are: a point, a line or an area (SVG path, y down),
    -- in the caller's geometry (docs/disclosure.md)
    SELECT DISTINCT ON (l.id) pr.code, pr.verdict,
           CASE ST_Dimension(lg.g) WHEN 0 THEN 'point' WHEN 1 THEN 'line' ELSE 'area' END AS kind,
           CASE WHEN ST_Dimension(lg.g) > 0 THEN ST_AsSVG(ST_SimplifyPreserveTopology(lg.g3857,
                (SELECT greatest(b.w, b.h) / 800 FROM box b)), 0, 0) END AS d,
           round(ST_X(ST_PointOnSurface(lg.g3857))::numeric, 1) AS x,
           round(-ST_Y(ST_PointOnSurface(lg.g3857))::numeric, 1) AS y
    FROM projects pr JOIN project_location l ON l.project_id = pr.id
    CROSS JOIN LATERAL (SELECT g, ST_Transform(g, 3857) AS g3857
                        FROM mk_location_geom(l.geom, l.public_geom, l.id, pr.partner, $4, $5::text, $6::text[]) g) lg
    JOIN location_assignment a ON a.location_id = l.id AND a.level = $1 AND a.unit_code = $2
         AND (($3::timestamptz IS NULL AND a.valid_to IS NULL)
           OR ($3 IS NOT NULL AND a.valid_from <= $3 AND (a.valid_to IS NULL OR a.valid_to > $3)))
    WHERE l.precision IN ('exact', 'approximate') AND lg.g IS NOT NULL
)
SELECT json_build_object(
    'level', $1::text, 'code', $2::text, 'as_of', $3::timestamptz, 'generated_at', now(),
    'unit', (SELECT (to_jsonb(l) || jsonb_build_object(
                 'execution_basis', jsonb_build_object('projects', l.project_count, 'budget_tnd', l.budget_tnd,
                                                       'paid_tnd', l.paid_tnd, 'projects_with_progress', l.projects_with_progress,
                                                       'excluded', 'cancelled'),
                 'cancelled', coalesce(l.by_status->'cancelled', '{"projects": 0, "budget_tnd": 0}')))::json
             FROM lines l WHERE l.kind = 'unit' AND l.code = $2),
    'peers', (SELECT coalesce(json_agg(json_build_object('code', l.code, 'name_fr', l.name_fr, 'name_ar', l.name_ar,
                  'budget_per_inhabitant', l.budget_per_inhabitant, 'project_count', l.project_count,
                  'rank_in_governorate', l.rank_in_governorate) ORDER BY l.rank_in_governorate, l.code), '[]')
              FROM lines l WHERE l.kind = 'unit'),
    'governorate', CASE WHEN $1 <> 'governorate' THEN (
        SELECT json_build_object('code', gi.code, 'name_fr', gi.name_fr, 'name_ar', gi.name_ar,
                                 'population', gi.population, 'project_count', gi.project_count,
                                 'budget_tnd', gi.budget_tnd, 'budget_per_inhabitant', gi.budget_per_inhabitant,
                                 'execution_rate', gi.execution_rate)
        FROM mk_unit_indicator_rows('governorate', $3) gi WHERE gi.code = (SELECT gov FROM g)) END,
    'national', (SELECT row_to_json(l) FROM lines l WHERE l.kind = 'national'),
    'projects', json_build_object(
        'count', (SELECT count(*) FROM projects),
        'conformity', (SELECT coalesce(json_object_agg(x.verdict, x.n), '{}')
                       FROM (SELECT coalesce(verdict, 'not_assessed') AS verdict, count(*) AS n FROM projects GROUP BY 1) x),
        'items', (SELECT coalesce(json_agg(json_build_object(
                      'code', pr.code, 'title_fr', pr.title_fr, 'title_ar', pr.title_ar, 'title_en', pr.title_en, 'theme', pr.theme,
                      'project_type', pr.project_type, 'status', pr.status, 'status_fr', pr.status_fr,
                      'status_ar', pr.status_ar, 'share', round(pr.share, 6), 'budget_tnd', pr.budget_tnd,
                      'project_budget_tnd', pr.project_budget_tnd, 'physical_pct', pr.physical_pct,
                      'execution_rate', pr.execution_rate, 'delayed', pr.delayed, 'blocked', pr.blocked,
                      'blocked_cause', pr.blocked_cause, 'verdict', pr.verdict)
                      ORDER BY pr.budget_tnd DESC NULLS LAST, pr.code), '[]')
                  FROM (SELECT * FROM projects ORDER BY budget_tnd DESC NULLS LAST, code LIMIT 200) pr)),
    'map', (SELECT json_build_object(
        'view_box', json_build_array(b.x0, -b.y1, b.w, b.h),
        'path', ST_AsSVG(ST_SimplifyPreserveTopology(b.g, greatest(b.w, b.h) / 500), 0, 0),
        'settlement', (SELECT json_build_array(ST_X(ST_Transform(s.geom, 3857)), -ST_Y(ST_Transform(s.geom, 3857)))
                       FROM unit u JOIN unit_settlement s ON s.unit_id = u.id),
        'projects', (SELECT coalesce(json_agg(json_build_array(round(d.x::numeric, 1), round(-d.y::numeric, 1), d.code,
                                                               d.verdict, d.status)), '[]') FROM dots d),
        'shapes', (SELECT coalesce(json_agg(json_build_object('code', sh.code, 'verdict', sh.verdict, 'kind', sh.kind,
                                                              'd', sh.d, 'x', sh.x, 'y', sh.y) ORDER BY sh.kind, sh.code), '[]')
                   FROM shapes sh))
        FROM box b)
)::text
