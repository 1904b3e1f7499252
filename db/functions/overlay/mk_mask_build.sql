-- (Re)build the masks of sets `keys`: the union of the members cut into pieces
-- (overlay_mask), the grid cells its boundary crosses (overlay_edge), and mark them fresh.
CREATE OR REPLACE FUNCTION mk_mask_build(keys text[]) RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    k text;
    u geometry;
BEGIN
    FOREACH k IN ARRAY coalesce(keys, '{}') LOOP
        DELETE FROM overlay_mask WHERE set_key = k;
        DELETE FROM overlay_edge WHERE set_key = k;
        IF k LIKE 'level:%' THEN
            SELECT ST_Union(geom) INTO u FROM admin_unit WHERE level = substr(k, 7) AND valid_to IS NULL;
        ELSE
            SELECT ST_Union(p.geom) INTO u FROM landuse_zone_piece p WHERE p.layer_id = substr(k, 7)::bigint;
        END IF;
        IF u IS NOT NULL THEN
            INSERT INTO overlay_mask (set_key, geom) SELECT k, s.g FROM ST_Subdivide(u, 64) AS s(g);
            -- cells of 0.04° crossing the boundary, refined into cells of 0.02° (about 2 km)
            INSERT INTO overlay_edge (set_key, geom)
            SELECT k, f.geom
            FROM ST_SquareGrid(0.04, u) AS c
            CROSS JOIN LATERAL ST_SquareGrid(0.02, ST_Buffer(c.geom, -0.001)) AS f
            WHERE ST_Intersects(u, c.geom) AND NOT ST_ContainsProperly(u, c.geom)
              AND ST_Intersects(u, f.geom) AND NOT ST_ContainsProperly(u, f.geom);
        END IF;
        INSERT INTO overlay_mask_state (set_key, fresh) VALUES (k, true)
        ON CONFLICT (set_key) DO UPDATE SET fresh = true;
    END LOOP;
END $$;
