-- Each project's share of every unit, per level, at `t` (NULL: now). A project's locations weigh
-- the same (a project with n locations gives 1/n to each); what no unit holds goes to a bucket
-- named after the reason ('~national', '~outside', '~coarser_precision', '~no_location' for a
-- project without any location). Shares of a project at a level sum to exactly 1.
CREATE OR REPLACE FUNCTION mk_project_shares(pids bigint[], t timestamptz)
RETURNS TABLE (project_id bigint, level text, bucket text, unit_code text, reason text, share numeric)
LANGUAGE sql STABLE AS $$
WITH projects AS (
    SELECT p.id FROM project p
    WHERE (pids IS NULL OR p.id IN (SELECT unnest(pids))) AND (t IS NULL OR p.created_at <= t)
), levels AS (
    SELECT al.level FROM admin_level al
    WHERE EXISTS (SELECT 1 FROM admin_unit u WHERE u.level = al.level
                  AND ((t IS NULL AND u.valid_to IS NULL)
                    OR (t IS NOT NULL AND u.valid_from <= t AND (u.valid_to IS NULL OR u.valid_to > t))))
), a AS (
    SELECT a.project_id, a.level, a.location_id, a.unit_code,
           CASE WHEN a.unit_id IS NULL THEN a.method END AS reason, a.share
    FROM location_assignment a JOIN projects p ON p.id = a.project_id
    WHERE ((t IS NULL AND a.valid_to IS NULL)
        OR (t IS NOT NULL AND a.valid_from <= t AND (a.valid_to IS NULL OR a.valid_to > t)))
      AND a.level IN (SELECT level FROM levels)
), per AS (
    SELECT a.project_id, a.level, coalesce(a.unit_code, '~' || a.reason) AS bucket, a.unit_code, a.reason,
           sum(a.share::numeric) AS share
    FROM a GROUP BY 1, 2, 3, 4, 5
), located AS (
    SELECT per.*, sum(per.share) OVER (PARTITION BY per.project_id, per.level) AS total FROM per
)
SELECT l.project_id, l.level, l.bucket, l.unit_code, l.reason, l.share / l.total
FROM located l
UNION ALL
SELECT p.id, lv.level, '~no_location', NULL, 'no_location', 1::numeric
FROM projects p CROSS JOIN levels lv
WHERE NOT EXISTS (SELECT 1 FROM a WHERE a.project_id = p.id AND a.level = lv.level)
$$;
