-- Called by the triggers tile_notify_del, tile_notify_ins, tile_notify_upd on project_location
-- (created by migration 0002).
CREATE OR REPLACE FUNCTION mk_tile_notify_location() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    boxes box2d[];
BEGIN
    EXECUTE format('SELECT array_agg(mk_location_box(c::project_location)) FROM (%s) c', mk_changed_rows(TG_OP))
    INTO boxes;
    -- no changed row: an empty list, which sends nothing (NULL would mean the whole source)
    PERFORM mk_tile_notify(ARRAY['projects'], coalesce(boxes, '{}'));
    RETURN NULL;
END $$;
