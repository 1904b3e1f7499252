-- Servers keep anonymous answers of the OGC API – Features items in memory (src/features/cache.rs).
-- Any change to a table a cached collection reads — through the API, the importer, or directly in
-- SQL — sends NOTIFY mokhattat_features with the table's name at commit, and every server drops
-- the answers of the collections that table feeds. (The tile notifications of migration 0002 do
-- not cover everything: a project without a location draws nothing, but it is an item.)
CREATE FUNCTION mk_features_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('mokhattat_features', TG_TABLE_NAME);
    RETURN NULL;
END $$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['admin_unit', 'population', 'landuse_zone', 'landuse_layer', 'landuse_class',
                             'project', 'project_location', 'project_event', 'project_status', 'facility'] LOOP
        EXECUTE format('CREATE TRIGGER features_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
                        FOR EACH STATEMENT EXECUTE FUNCTION mk_features_notify()', t);
    END LOOP;
END $$;
