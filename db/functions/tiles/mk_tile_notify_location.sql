-- Called by the triggers tile_notify_del, tile_notify_ins, tile_notify_upd on project_location
-- (created by migration 0002).
CREATE OR REPLACE FUNCTION mk_tile_notify_location() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    boxes box2d[];
BEGIN
    EXECUTE format('SELECT array_agg(mk_location_box(c::project_location)) FROM (%s) c', mk_changed_rows(TG_OP))
    INTO boxes;
    IF boxes IS NOT NULL THEN
        PERFORM mk_tile_notify(ARRAY['projects'], boxes);
    END IF;
    RETURN NULL;
END $$;
