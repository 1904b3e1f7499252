-- Keeps project_feature (migration 0031) in the statement that changed what it derives from,
-- however it was written (API, importer, plain SQL): the projects whose locations were inserted,
-- updated or deleted (public_geom is set by the BEFORE trigger location_disclose, so the rows seen
-- here carry it), and the progress of those that got a progress report (project_event is
-- append-only). A TRUNCATE
-- refreshes every project. A new project has neither yet (no row); a deleted one's row goes with
-- it (ON DELETE CASCADE).
CREATE OR REPLACE FUNCTION mk_trg_project_feature() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM mk_project_feature_refresh(array(SELECT id FROM project));
    ELSIF TG_TABLE_NAME = 'project_event' THEN
        -- an event changes only the progress: the stored geometry is left as it is
        INSERT INTO project_feature AS f (project_id, locations, geojson, physical_pct)
        SELECT n.project_id, 0, NULL, mk_project_latest_progress(n.project_id)
        FROM (SELECT DISTINCT project_id FROM new_rows WHERE physical_pct IS NOT NULL) n
        ON CONFLICT (project_id) DO UPDATE SET physical_pct = EXCLUDED.physical_pct
        WHERE f.physical_pct IS DISTINCT FROM EXCLUDED.physical_pct;
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

-- One trigger per event and table (a trigger with transition tables has a single event):
-- (name, event, transition tables).
DO $$
DECLARE
    t text[];
BEGIN
    FOREACH t SLICE 1 IN ARRAY ARRAY[
        ['project_feature_ins', 'INSERT ON project_location', 'REFERENCING NEW TABLE AS new_rows'],
        ['project_feature_upd', 'UPDATE ON project_location', 'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows'],
        ['project_feature_del', 'DELETE ON project_location', 'REFERENCING OLD TABLE AS old_rows'],
        ['project_feature_truncate', 'TRUNCATE ON project_location', ''],
        ['project_feature_event', 'INSERT ON project_event', 'REFERENCING NEW TABLE AS new_rows'],
        ['project_feature_event_truncate', 'TRUNCATE ON project_event', '']] LOOP
        EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER %s %s FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_project_feature()',
                       t[1], t[2], t[3]);
    END LOOP;
END $$;

-- The table is derived: filling it whole whenever this file is (re)applied is always right.
SELECT mk_project_feature_refresh(array(SELECT id FROM project));
