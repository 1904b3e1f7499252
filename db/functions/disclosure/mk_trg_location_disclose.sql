-- Keeps project_location.public_geom (migration 0021) from the location and its disclosure level;
-- public_geom_3857 follows (a generated column, computed after this BEFORE trigger).
CREATE OR REPLACE FUNCTION mk_trg_location_disclose() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.public_geom := mk_location_public_geom(NEW.id, NEW.disclosure, NEW.precision, NEW.unit_code, NEW.geom);
    RETURN NEW;
END $$;

CREATE OR REPLACE TRIGGER location_disclose
BEFORE INSERT OR UPDATE OF geom, disclosure, precision, unit_code, public_geom ON project_location
FOR EACH ROW EXECUTE FUNCTION mk_trg_location_disclose();
