-- Keeps project_feature (migration 0029) in the statement that changed project_location, however
-- it was written (API, importer, plain SQL): the projects whose locations were inserted, updated
-- or deleted are recomputed (public_geom is set by the BEFORE trigger location_disclose, so the
-- rows seen here carry it).
CREATE OR REPLACE FUNCTION mk_trg_project_feature() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM project_feature;
    ELSIF TG_OP = 'INSERT' THEN
        PERFORM mk_project_feature_refresh(array(SELECT DISTINCT project_id FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM mk_project_feature_refresh(array(SELECT DISTINCT project_id FROM old_rows));
    ELSE
        PERFORM mk_project_feature_refresh(array(SELECT project_id FROM new_rows
                                                 UNION SELECT project_id FROM old_rows));
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER project_feature_ins AFTER INSERT ON project_location
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_project_feature();
CREATE OR REPLACE TRIGGER project_feature_upd AFTER UPDATE ON project_location
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_project_feature();
CREATE OR REPLACE TRIGGER project_feature_del AFTER DELETE ON project_location
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_project_feature();
CREATE OR REPLACE TRIGGER project_feature_truncate AFTER TRUNCATE ON project_location
FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_project_feature();

-- The table is derived: filling it whole whenever this file is (re)applied is always right.
SELECT mk_project_feature_refresh(array(SELECT id FROM project));
