-- Baseline: the naive way — a PL/pgSQL loop that, for every location, runs one point-in-polygon
-- query per level on the whole unit geometries (GiST index), keeping the lowest code. It does less
-- than the set-based assignment (no length or area shares, no precision rules), on the same rows.
\set ON_ERROR_STOP on
DROP TABLE IF EXISTS naive_assignment;
CREATE UNLOGGED TABLE naive_assignment (location_id bigint, level text, unit_code text);
DO $$
DECLARE
    r record;
    lv text;
    c text;
BEGIN
    FOR r IN SELECT id, ST_PointOnSurface(geom) AS pt FROM project_location LOOP
        FOREACH lv IN ARRAY ARRAY['governorate', 'delegation', 'municipality'] LOOP
            SELECT u.code INTO c FROM admin_unit u
            WHERE u.level = lv AND u.valid_to IS NULL AND ST_Intersects(u.geom, r.pt)
            ORDER BY u.code LIMIT 1;
            INSERT INTO naive_assignment VALUES (r.id, lv, c);
        END LOOP;
    END LOOP;
END $$;
