-- One staging table per import, dropped with the transaction.
SET LOCAL client_min_messages = warning;  -- no "does not exist, skipping" notices
DROP TABLE IF EXISTS pg_temp.mk_stage;
CREATE TEMP TABLE mk_stage (
    ord    int PRIMARY KEY,   -- index of the row in the importer's list
    fid    bigint,            -- OGR FID in the file
    key    text NOT NULL,     -- the target's identifier (code, source id, location id)
    data   jsonb NOT NULL,    -- canonical fields, cleaned
    attrs  jsonb NOT NULL,    -- unmapped fields
    wkb    bytea,             -- geometry as read (EPSG:4326)
    geom   geometry,          -- checked/repaired geometry; NULL when rejected
    repair text,              -- ST_IsValidReason of a repaired geometry
    reject text               -- why the row is rejected
) ON COMMIT DROP;
