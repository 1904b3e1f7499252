-- Servers keep anonymous answers of the OGC API – Features items in memory (src/features/cache.rs).
-- Any change to a table a cached collection reads — through the API, the importer, or directly in
-- SQL — sends NOTIFY mokhattat_features with the table's name at commit, and every server drops
-- the answers of the collections that table feeds. (The tile notifications of migration 0002 do
-- not cover everything: a project without a location draws nothing, but it is an item.)
-- Called by the trigger features_notify on admin_unit, facility, landuse_class, landuse_layer,
-- landuse_zone, population, project, project_event, project_location, project_status (created by
-- migration 0011).
CREATE OR REPLACE FUNCTION mk_features_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('mokhattat_features', TG_TABLE_NAME);
    RETURN NULL;
END $$;
