-- Participation published as OGC API collections and the `proposals` tile source (issue 11,
-- item 8; docs/participation.md, docs/layers.md).
--
-- Tiles read proposal_public.geom_3857 by box: index it.
CREATE INDEX proposal_geom_3857 ON proposal USING gist (geom_3857);

-- Any change of a proposal (submission, state, answer, moderation, tags) drops the `proposals`
-- tiles under its old and new place; a zone's change drops the tiles under the zone (the
-- proposals in it carry its code). mk_tile_notify_rows exists since migration 0002. Supports
-- change the tiles too: their trigger is in db/functions/tiles/mk_tile_notify_proposal.sql.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['proposal', 'participation_zone'] LOOP
        EXECUTE format('CREATE TRIGGER tile_notify_ins AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION mk_tile_notify_rows(''proposals'')', t);
        EXECUTE format('CREATE TRIGGER tile_notify_upd AFTER UPDATE ON %I
                        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION mk_tile_notify_rows(''proposals'')', t);
        EXECUTE format('CREATE TRIGGER tile_notify_del AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION mk_tile_notify_rows(''proposals'')', t);
        EXECUTE format('CREATE TRIGGER tile_notify_truncate AFTER TRUNCATE ON %I
                        FOR EACH STATEMENT EXECUTE FUNCTION mk_tile_notify_all(''proposals'')', t);
    END LOOP;
END $$;
