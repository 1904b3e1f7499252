-- Build the masks of every set an overlay may use (the levels with current units, the current
-- land-use layers) that are missing or stale; returns how many were built.
CREATE OR REPLACE FUNCTION mk_masks_warm() RETURNS int
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    keys text[];
BEGIN
    keys := array(SELECT s FROM (SELECT 'level:' || l AS s FROM unnest(mk_assign_levels()) AS l
                                 UNION ALL
                                 SELECT 'layer:' || c.id FROM landuse_layer_current c) k
                  WHERE NOT EXISTS (SELECT 1 FROM overlay_mask_state m WHERE m.set_key = k.s AND m.fresh));
    PERFORM mk_mask_build(keys);
    RETURN cardinality(keys);
END $$;
