-- Forget tile changes older than a day, keeping each source's latest (its version). Run by every
-- server instance now and then (src/tiles/versions.rs); concurrent runs are harmless.
CREATE OR REPLACE FUNCTION mk_tile_change_prune() RETURNS bigint LANGUAGE sql AS $$
    WITH gone AS (
        DELETE FROM tile_change c
        WHERE c.at < now() - interval '1 day'
          AND EXISTS (SELECT 1 FROM tile_change d WHERE d.source = c.source AND d.at > c.at)
        RETURNING 1)
    SELECT count(*) FROM gone
$$;
