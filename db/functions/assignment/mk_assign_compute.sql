-- The assignment of locations `ids` at levels `levels`, computed from the current units, into the
-- session table mk_as (location_id, project_id, level, unit_id, unit_code, unit_version, share,
-- method, precision, precision_flag).
CREATE OR REPLACE FUNCTION mk_assign_compute(ids bigint[], levels text[]) RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    PERFORM mk_scratch('mk_as_loc', 'mk_as_loc_row');
    -- how each location is assigned at each level; declared units and their governorates resolved
    INSERT INTO mk_as_loc
    WITH m AS MATERIALIZED (
        SELECT l.id, l.project_id, l.precision, l.unit_code, lv.level,
               CASE WHEN l.precision IN ('exact', 'approximate') THEN 'geometry'
                    WHEN l.precision = 'national' THEN 'national'
                    WHEN l.precision = lv.level THEN 'declared'
                    WHEN lv.level = 'governorate' AND l.precision IN ('municipality', 'delegation') THEN 'via'
                    ELSE 'coarser' END AS mode
        FROM project_location l JOIN unnest(ids) AS i(id) ON i.id = l.id CROSS JOIN unnest(levels) AS lv(level)
    ), via AS (
        -- the governorate of each declared unit, once per unit (not once per location)
        SELECT d.level, d.code, gu.id, gu.code AS gcode, gu.version
        FROM admin_unit d
        CROSS JOIN LATERAL (
            SELECT g.id, g.code, g.version FROM admin_unit g
            WHERE g.level = 'governorate' AND g.valid_to IS NULL AND g.code = d.parent_code
            UNION ALL
            SELECT * FROM (
                SELECT p.unit_id, p.code, p.unit_version FROM admin_unit_piece p
                WHERE p.level = 'governorate'
                  AND NOT EXISTS (SELECT 1 FROM admin_unit g2 WHERE g2.level = 'governorate' AND g2.valid_to IS NULL
                                  AND g2.code = d.parent_code)
                  AND ST_Intersects(p.geom, ST_PointOnSurface(d.geom))
                ORDER BY p.code COLLATE "C" LIMIT 1) x
        ) gu
        WHERE d.valid_to IS NULL
          AND (d.level, d.code) IN (SELECT DISTINCT m.precision, m.unit_code FROM m WHERE m.mode = 'via')
    )
    SELECT m.id, m.project_id, m.precision, m.unit_code, m.level,
           CASE WHEN m.mode IN ('declared', 'via') AND coalesce(du.id, gu.id) IS NULL THEN 'fallback' ELSE m.mode END,
           coalesce(du.id, gu.id), coalesce(du.code, gu.gcode), coalesce(du.version, gu.version)
    FROM m
    LEFT JOIN admin_unit du ON m.mode = 'declared' AND du.level = m.level AND du.code = m.unit_code AND du.valid_to IS NULL
    LEFT JOIN via gu ON m.mode = 'via' AND gu.level = m.precision AND gu.code = m.unit_code;
    -- the geometric ones, overlaid with the units of their levels
    PERFORM mk_overlay_run(array(SELECT DISTINCT id FROM mk_as_loc WHERE mode IN ('geometry', 'fallback')),
                           array(SELECT DISTINCT 'level:' || level FROM mk_as_loc WHERE mode IN ('geometry', 'fallback')));
    PERFORM mk_scratch('mk_as', 'mk_as_row');
    INSERT INTO mk_as
    SELECT a.id, a.project_id, a.level, a.unit_id, a.code, a.version, 1.0,
           CASE a.mode WHEN 'declared' THEN 'declared_unit' ELSE 'via_declared_unit' END, a.precision, NULL
    FROM mk_as_loc a WHERE a.mode IN ('declared', 'via')
    UNION ALL
    SELECT a.id, a.project_id, a.level, NULL, NULL, NULL, 1.0,
           CASE a.mode WHEN 'national' THEN 'national' ELSE 'coarser_precision' END, a.precision, NULL
    FROM mk_as_loc a WHERE a.mode IN ('national', 'coarser')
    UNION ALL
    SELECT a.id, a.project_id, a.level, o.member_id, o.code, o.version, least(o.share, 1.0),
           CASE o.how WHEN 'point_in' THEN 'point_in_unit' WHEN 'length' THEN 'length_share'
                      WHEN 'area' THEN 'area_share' ELSE o.how END,
           a.precision,
           CASE WHEN a.mode = 'fallback' THEN 'unit_code_not_found' WHEN o.degenerate THEN 'degenerate_geometry'
                WHEN a.precision = 'approximate' THEN 'approximate' END
    FROM mk_as_loc a JOIN mk_ov o ON o.loc_id = a.id AND o.set_key = 'level:' || a.level
    WHERE a.mode IN ('geometry', 'fallback') AND o.share > 1e-12;
END $$;
