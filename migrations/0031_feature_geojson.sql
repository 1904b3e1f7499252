-- OGC API – Features answers (src/features/read/query.rs) read what the default output needs
-- already written, instead of computing it for every row of every page (docs/features.md,
-- "Stored GeoJSON"). Everything here is kept in the writing transaction, whoever writes, so a
-- replica holds it as the primary does.

-- A unit's geometry as GeoJSON text in CRS84, 7 decimals: exactly what `ST_AsGeoJSON(geom, 7)`
-- gives the items of municipalities, delegations and governorates. Stored uncompressed
-- (EXTERNAL): it is read whole on every page, and decompressing costs more than the disk.
ALTER TABLE admin_unit ADD COLUMN geojson text GENERATED ALWAYS AS (ST_AsGeoJSON(geom, 7)) STORED;
ALTER TABLE admin_unit ALTER COLUMN geojson SET STORAGE EXTERNAL;
-- the view of 0001, so that it carries the new column
CREATE OR REPLACE VIEW admin_unit_current AS SELECT * FROM admin_unit WHERE valid_to IS NULL;

-- What a project's feature reads from other tables, as anyone may see it: its number of
-- locations, the GeoJSON (CRS84, 7 decimals) of the collection of their public geometries in
-- location order — what `ST_AsGeoJSON(ST_Collect(mk_location_geom(…, anonymous scope) ORDER BY
-- l.id), 7)` gives — and its latest progress report. Kept by the triggers of
-- db/functions/features/mk_trg_project_feature.sql; a project with neither a location nor a
-- progress report has no row, and reads as 0 locations, no geometry, no progress.
CREATE TABLE project_feature (
    project_id   bigint PRIMARY KEY REFERENCES project (id) ON DELETE CASCADE,
    locations    integer NOT NULL,
    geojson      text,
    physical_pct numeric(5, 2)
);
ALTER TABLE project_feature ALTER COLUMN geojson SET STORAGE EXTERNAL;

-- The latest progress report of a project (tiles' `progress`, project_feature's refresh): one
-- index entry read instead of every event of the project.
CREATE INDEX project_event_latest_progress ON project_event (project_id, at DESC, id DESC)
    WHERE physical_pct IS NOT NULL;
