-- The geometry a location publishes at its disclosure level (docs/disclosure.md); NULL: nothing.
--   exact     the geometry itself;
--   displaced the whole geometry translated by 500–2000 m in a direction, both drawn from
--             HMAC-SHA256(secret, '<id>:<k>') for the first k = 0, 1, … 31 whose translation stays
--             covered by the location's municipality (the one holding its point on surface); the
--             same id always gives the same offset (never averaged away); when no try fits, or for
--             a location that stands for a unit (precision municipality/delegation/governorate),
--             as `unit`;
--   unit      the point on surface of its unit: the municipality holding its point on surface,
--             or the unit it stands for;
--   withheld  nothing.
-- A location outside every current unit, or national, publishes nothing unless exact.
CREATE OR REPLACE FUNCTION mk_location_public_geom(l_id bigint, l_disclosure text, l_precision text,
                                                   l_unit_code text, l_geom geometry)
RETURNS geometry LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    unit geometry;
    key bytea;
    h bytea;
    c geometry;
    moved geometry;
    azimuth float8;
    dist float8;
    cand geometry;
BEGIN
    IF l_disclosure = 'exact' THEN
        RETURN l_geom;
    ELSIF l_disclosure = 'withheld' OR l_geom IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT u.geom INTO unit FROM admin_unit u
    WHERE u.valid_to IS NULL
      AND ((l_precision IN ('exact', 'approximate') AND u.level = 'municipality'
            AND ST_Intersects(u.geom, ST_PointOnSurface(l_geom)))
        OR (l_precision IN ('municipality', 'delegation', 'governorate') AND u.level = l_precision
            AND (u.code = l_unit_code OR (l_unit_code IS NULL AND ST_Intersects(u.geom, ST_PointOnSurface(l_geom))))))
    ORDER BY u.code LIMIT 1;
    IF unit IS NULL THEN
        RETURN NULL;
    END IF;
    IF l_disclosure = 'displaced' AND l_precision IN ('exact', 'approximate') THEN
        SELECT s.secret INTO key FROM disclosure_secret s;
        c := ST_Centroid(l_geom);
        FOR k IN 0..31 LOOP
            h := mk_hmac_sha256(key, convert_to(l_id::text || ':' || k::text, 'UTF8'));
            azimuth := 2 * pi() * (get_byte(h, 0) * 65536 + get_byte(h, 1) * 256 + get_byte(h, 2))::float8 / 16777216;
            dist := 500 + 1500 * (get_byte(h, 3) * 65536 + get_byte(h, 4) * 256 + get_byte(h, 5))::float8 / 16777215;
            moved := ST_Project(c::geography, dist, azimuth)::geometry;
            cand := ST_Translate(l_geom, ST_X(moved) - ST_X(c), ST_Y(moved) - ST_Y(c));
            IF ST_CoveredBy(cand, unit) THEN
                RETURN cand;
            END IF;
        END LOOP;
    END IF;
    RETURN ST_PointOnSurface(unit);
END $$;
