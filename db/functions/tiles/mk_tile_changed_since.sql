-- The sources with a change committed at or after `t`, or NULL when `t` is older than the history
-- kept (then everything may have changed).
CREATE OR REPLACE FUNCTION mk_tile_changed_since(t timestamptz) RETURNS text[]
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN t < now() - interval '1 day' THEN NULL
                ELSE coalesce((SELECT array_agg(DISTINCT source) FROM tile_change WHERE at >= t), '{}') END
$$;
