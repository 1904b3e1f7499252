-- Location disclosure control (issue 13, item 3; docs/disclosure.md).
--
-- Each project location has a disclosure level; `public_geom` is the one geometry every public
-- output reads (NULL: nothing is published), kept by the trigger location_disclose
-- (db/functions/disclosure/mk_trg_location_disclose.sql) from the location, its level and the
-- server secret below.
ALTER TABLE project_location
    ADD COLUMN disclosure text NOT NULL DEFAULT 'exact'
        CONSTRAINT project_location_disclosure_check
        CHECK (disclosure IN ('exact', 'displaced', 'unit', 'withheld')),
    ADD COLUMN public_geom geometry(Geometry, 4326);
-- every existing location is exact: its public geometry is its geometry
UPDATE project_location SET public_geom = geom;
ALTER TABLE project_location
    ADD COLUMN public_geom_3857 geometry(Geometry, 3857)
        GENERATED ALWAYS AS (ST_Transform(public_geom, 3857)) STORED;
CREATE INDEX project_location_public_geom ON project_location USING gist (public_geom);
CREATE INDEX project_location_public_geom_3857 ON project_location USING gist (public_geom_3857);

-- The key of the displacement (HMAC-SHA256 of the location id): 32 random bytes made once, here,
-- stable across restarts, never published by any route. Changing it moves every displaced
-- location to a new place (and lets anyone who kept both answers average them): do not rotate.
CREATE TABLE disclosure_secret (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    secret   bytea NOT NULL CHECK (length(secret) >= 32)
);
INSERT INTO disclosure_secret (secret)
VALUES (decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'));
