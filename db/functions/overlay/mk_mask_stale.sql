-- Mark the masks of sets `keys` stale: the next overlay that needs them rebuilds them.
CREATE OR REPLACE FUNCTION mk_mask_stale(keys text[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO overlay_mask_state (set_key, fresh) SELECT DISTINCT k, false FROM unnest(keys) AS k
    ON CONFLICT (set_key) DO UPDATE SET fresh = false
$$;
