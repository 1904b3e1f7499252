-- Changes that touch every tile of a source (class names, TRUNCATE): the sources are the arguments.
-- Called by the triggers tile_notify_classes on landuse_class; tile_notify_layers on landuse_layer;
-- tile_notify_statuses on project_status; tile_notify_truncate on admin_unit, facility,
-- funding_line, landuse_zone, project, project_event, project_location (created by migration 0002);
-- tile_notify_truncate on proposal, participation_zone (migration 0020).
CREATE OR REPLACE FUNCTION mk_tile_notify_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM mk_tile_notify(TG_ARGV::text[], NULL);
    RETURN NULL;
END $$;
