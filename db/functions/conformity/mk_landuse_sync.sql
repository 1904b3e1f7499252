-- Keep the zone pieces equal to the zones of the current layer versions of `slugs`; returns the
-- locations whose overlay may have changed (they overlapped a removed piece or overlap a new one).
CREATE OR REPLACE FUNCTION mk_landuse_sync(slugs text[], zone_ids bigint[]) RETURNS bigint[]
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    affected bigint[];
    stale bigint[];
BEGIN
    -- pieces of zones that changed, and of layers that are no longer current
    stale := array(
        SELECT DISTINCT p.zone_id FROM landuse_zone_piece p
        WHERE p.zone_id IN (SELECT unnest(zone_ids))
           OR p.layer_id IN (SELECT l.id FROM landuse_layer l WHERE l.slug IN (SELECT unnest(slugs))
                             AND l.id NOT IN (SELECT c.id FROM landuse_layer_current c))
           OR p.layer_id NOT IN (SELECT l.id FROM landuse_layer l));
    affected := array(SELECT DISTINCT z.location_id FROM location_zone z WHERE z.zone_id IN (SELECT unnest(stale))
                      UNION SELECT DISTINCT z.location_id FROM location_zone z WHERE z.zone_id IN (SELECT unnest(zone_ids)));
    PERFORM mk_mask_stale(array(SELECT DISTINCT 'layer:' || p.layer_id FROM landuse_zone_piece p
                                WHERE p.zone_id IN (SELECT unnest(stale))));
    DELETE FROM landuse_zone_piece p WHERE p.zone_id IN (SELECT unnest(stale));
    -- pieces of current zones that have none (new zones, changed zones, a layer that became current)
    WITH added AS (
        INSERT INTO landuse_zone_piece (zone_id, layer_id, class, geom)
        SELECT z.id, z.layer_id, z.class, ST_Subdivide(z.geom, 64)
        FROM landuse_zone z JOIN landuse_layer_current c ON c.id = z.layer_id
        WHERE (c.slug IN (SELECT unnest(slugs)) OR z.id IN (SELECT unnest(zone_ids)))
          AND NOT EXISTS (SELECT 1 FROM landuse_zone_piece p WHERE p.zone_id = z.id)
        RETURNING layer_id, geom
    ), stale_masks AS (
        SELECT mk_mask_stale(array(SELECT DISTINCT 'layer:' || a.layer_id FROM added a))
    )
    SELECT array(SELECT unnest(affected) UNION SELECT DISTINCT l.id FROM project_location l JOIN added a ON l.geom && a.geom)
    INTO affected
    FROM stale_masks;
    RETURN affected;
END $$;
