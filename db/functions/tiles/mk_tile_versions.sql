-- The data version of each of `sources`: the id of its latest committed change (0: none yet).
CREATE OR REPLACE FUNCTION mk_tile_versions(sources text[]) RETURNS TABLE(source text, version bigint)
LANGUAGE sql STABLE AS $$
    SELECT s, coalesce((SELECT c.id FROM tile_change c WHERE c.source = s AND c.at IS NOT NULL
                        ORDER BY c.at DESC, c.id DESC LIMIT 1), 0)
    FROM unnest(sources) s
$$;
