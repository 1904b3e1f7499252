-- admin_unit: its own level's source, projects (unit-precision locations draw unit polygons) and
-- facilities (filtered by municipality through its geometry).
-- Called by the triggers tile_notify_del, tile_notify_ins, tile_notify_upd on admin_unit (created
-- by migration 0002).
CREATE OR REPLACE FUNCTION mk_tile_notify_admin() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    FOR r IN EXECUTE format(
        'SELECT mk_level_source(level) AS source, array_agg(Box2D(geom_3857)) AS boxes FROM (%s) c
         WHERE mk_level_source(level) IS NOT NULL GROUP BY 1', mk_changed_rows(TG_OP))
    LOOP
        PERFORM mk_tile_notify(ARRAY[r.source, 'projects', 'facilities'], r.boxes);
    END LOOP;
    RETURN NULL;
END $$;
