-- Overlay then verdicts for locations `ids` (locations that no longer exist are cleared).
CREATE OR REPLACE FUNCTION mk_conformity_overlay(ids bigint[]) RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    geo bigint[];
    sets text[] := array(SELECT 'layer:' || c.id FROM landuse_layer_current c);
BEGIN
    IF ids IS NULL OR cardinality(ids) = 0 THEN
        RETURN;
    END IF;
    DELETE FROM location_zone z USING unnest(ids) AS i(id) WHERE z.location_id = i.id;
    geo := array(SELECT l.id FROM project_location l JOIN unnest(ids) AS i(id) ON i.id = l.id
                 WHERE l.precision IN ('exact', 'approximate'));
    IF cardinality(geo) > 0 AND cardinality(sets) > 0 THEN
        PERFORM mk_overlay_run(geo, sets);
        INSERT INTO location_zone (location_id, project_id, zone_id, layer_id, class, share)
        SELECT o.loc_id, l.project_id, o.member_id, substr(o.set_key, 7)::bigint, o.code, sum(o.share)
        FROM mk_ov o JOIN project_location l ON l.id = o.loc_id
        WHERE o.member_id IS NOT NULL
        GROUP BY o.loc_id, l.project_id, o.member_id, o.set_key, o.code;
    END IF;
    PERFORM mk_conformity_locations(ids);
END $$;
