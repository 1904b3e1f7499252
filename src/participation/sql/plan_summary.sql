-- Summary of plan $1: envelope vs programmed (its lines) vs committed vs paid (the monitoring of
-- the lines' projects, counted once per project), by year, zone, theme and funding source (a
-- line's amount split in the shares of its project's funding lines), and the progress of each
-- line's project. Lines on projects the public may not see are left out.
WITH pl AS (SELECT * FROM plan WHERE id = $1),
l AS (
    SELECT ln.id, ln.project_id, ln.year, ln.amount_tnd, pr.code, coalesce(pr.theme, 'unspecified') AS theme,
           coalesce(z.code, 'unzoned') AS zone
    FROM plan_line ln JOIN project pr ON pr.id = ln.project_id
    LEFT JOIN participation_zone z ON z.id = ln.zone_id
    WHERE ln.plan_id = $1 AND mk_project_visible(pr.id, pr.is_public, pr.partner, false, NULL, '{}')
),
mon AS (
    SELECT p.project_id, p.code, m.status, m.physical_pct, coalesce(m.committed_tnd, 0) AS committed,
           coalesce(m.paid_tnd, 0) AS paid, coalesce(m.delayed, false) AS delayed, coalesce(m.blocked, false) AS blocked
    FROM (SELECT DISTINCT project_id, code FROM l) p LEFT JOIN project_monitor m ON m.project_id = p.project_id
),
fund AS (
    SELECT l.id, coalesce(f.source_kind, 'unspecified') AS source_kind,
           CASE WHEN sum(f.amount_tnd) OVER w > 0 THEN l.amount_tnd * f.amount_tnd / sum(f.amount_tnd) OVER w
                ELSE l.amount_tnd / count(*) OVER w END AS amount
    FROM l LEFT JOIN funding_line f ON f.project_id = l.project_id
    WINDOW w AS (PARTITION BY l.id)
),
t AS (SELECT coalesce(sum(amount_tnd), 0) AS programmed FROM l)
SELECT json_build_object(
    'plan_id', pl.id, 'kind', pl.kind, 'status', pl.status, 'envelope_tnd', pl.envelope_tnd,
    'programmed_tnd', t.programmed,
    'committed_tnd', (SELECT coalesce(sum(committed), 0) FROM mon),
    'paid_tnd', (SELECT coalesce(sum(paid), 0) FROM mon),
    'unprogrammed_tnd', pl.envelope_tnd - t.programmed,
    'over_envelope', coalesce(t.programmed > pl.envelope_tnd, false),
    'by_year', (SELECT coalesce(json_object_agg(year, amount ORDER BY year), '{}')
                FROM (SELECT year, sum(amount_tnd) AS amount FROM l GROUP BY year) s),
    'by_zone', (SELECT coalesce(json_object_agg(zone, amount ORDER BY zone), '{}')
                FROM (SELECT zone, sum(amount_tnd) AS amount FROM l GROUP BY zone) s),
    'by_theme', (SELECT coalesce(json_object_agg(theme, amount ORDER BY theme), '{}')
                 FROM (SELECT theme, sum(amount_tnd) AS amount FROM l GROUP BY theme) s),
    'by_funding_source', (SELECT coalesce(json_object_agg(source_kind, round(amount, 3) ORDER BY source_kind), '{}')
                          FROM (SELECT source_kind, sum(amount) AS amount FROM fund GROUP BY source_kind) s),
    'projects', (SELECT coalesce(json_agg(json_build_object(
                     'project', m.code, 'programmed_tnd', (SELECT sum(amount_tnd) FROM l WHERE l.project_id = m.project_id),
                     'years', (SELECT json_agg(l.year ORDER BY l.year) FROM l WHERE l.project_id = m.project_id),
                     'status', m.status, 'physical_pct', m.physical_pct, 'committed_tnd', m.committed,
                     'paid_tnd', m.paid, 'delayed', m.delayed, 'blocked', m.blocked) ORDER BY m.code), '[]') FROM mon m),
    'method', 'programmed = sum of the plan''s lines; committed and paid = latest monitoring of each line''s project, counted once per project; funding sources split each line in the shares of its project''s funding lines (unspecified when it has none)'
)::text
FROM pl, t
