-- proposal_support: the boxes of the proposals whose supports changed (the `proposals` tiles
-- carry the count). Called by the triggers tile_notify_ins and tile_notify_del on
-- proposal_support, created below.
CREATE OR REPLACE FUNCTION mk_tile_notify_proposal() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    boxes box2d[];
BEGIN
    EXECUTE format(
        'SELECT array_agg(Box2D(p.geom_3857)) FROM proposal p
         WHERE p.id IN (SELECT proposal_id FROM (%s) c)', mk_changed_rows(TG_OP))
    INTO boxes;
    -- no changed row: an empty list, which sends nothing (NULL would mean the whole source)
    PERFORM mk_tile_notify(ARRAY['proposals'], coalesce(boxes, '{}'));
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER tile_notify_ins AFTER INSERT ON proposal_support
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_tile_notify_proposal();
CREATE OR REPLACE TRIGGER tile_notify_del AFTER DELETE ON proposal_support
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_tile_notify_proposal();
