-- Servers keep the current units in memory to answer /api/locate (src/territory/index.rs). Any
-- change to the units, their pieces or the levels — through the importer, the API or directly in
-- SQL — sends NOTIFY mokhattat_units at commit; each server then rebuilds its copy and answers
-- from the database meanwhile. One message per statement and table (PostgreSQL folds identical
-- messages of a transaction into one).
-- Called by the trigger units_notify on admin_level, admin_unit, admin_unit_piece (created by
-- migration 0007).
CREATE OR REPLACE FUNCTION mk_units_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('mokhattat_units', TG_TABLE_NAME);
    RETURN NULL;
END $$;
