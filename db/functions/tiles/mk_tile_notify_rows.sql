-- landuse_zone, facility, proposal, participation_zone: the boxes of the changed rows; the source
-- is the trigger's argument. Called by the triggers tile_notify_del, tile_notify_ins,
-- tile_notify_upd on facility, landuse_zone (created by migration 0002) and on proposal,
-- participation_zone (migration 0020).
CREATE OR REPLACE FUNCTION mk_tile_notify_rows() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    boxes box2d[];
BEGIN
    EXECUTE format('SELECT array_agg(Box2D(geom_3857)) FROM (%s) c', mk_changed_rows(TG_OP)) INTO boxes;
    -- no changed row: an empty list, which sends nothing (NULL would mean the whole source)
    PERFORM mk_tile_notify(ARRAY[TG_ARGV[0]], coalesce(boxes, '{}'));
    RETURN NULL;
END $$;
