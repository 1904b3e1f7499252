-- The geometry of a proposal from its GeoJSON text (structure and coordinate range already checked
-- by the handler: participation/input.rs), in EPSG:4326, or a refusal with SQLSTATE MK400 and a
-- message that says what to do (answered 400): a text PostGIS cannot read, or an invalid shape (a
-- self-intersecting area). Used inside the submitting INSERT, so that the check costs no round
-- trip of its own (bench/participation/README.md), and by the author's edit: one rule, one place.
CREATE OR REPLACE FUNCTION mk_proposal_geom(geojson text) RETURNS geometry
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    g geometry;
BEGIN
    BEGIN
        g := ST_SetSRID(ST_GeomFromGeoJSON(geojson), 4326);
    EXCEPTION WHEN OTHERS THEN
        RAISE EXCEPTION '"geometry" could not be read: %', SQLERRM USING ERRCODE = 'MK400';
    END;
    IF NOT ST_IsValid(g) THEN
        RAISE EXCEPTION '"geometry" is not valid (%); draw the area again without self-intersections / الشكل غير صالح',
            ST_IsValidReason(g) USING ERRCODE = 'MK400';
    END IF;
    RETURN g;
END $$;
