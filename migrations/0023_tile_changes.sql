-- Every tile change notification is also a row here (db/functions/tiles/mk_tile_notify.sql),
-- stamped with the clock at its commit (db/functions/tiles/mk_tile_change_commit.sql). Two uses
-- (docs/scale.md): a source's data version is the id of its latest change, so tile URLs that carry
-- it can be cached as immutable by a CDN; and an instance whose listening connection dropped asks
-- which sources changed since it last heard, and drops only those from its cache. The table is
-- replicated like any other; it is pruned to a day of history (the latest change of each source
-- always stays).
-- One change (one id) may touch several sources: a row for each.
CREATE SEQUENCE tile_change_seq;
CREATE TABLE tile_change (
    source text NOT NULL,
    id bigint NOT NULL,
    at timestamptz,
    PRIMARY KEY (source, id)
);
CREATE INDEX tile_change_source_at ON tile_change (source, at);
CREATE INDEX tile_change_at ON tile_change (at);
