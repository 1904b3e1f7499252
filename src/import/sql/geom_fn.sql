-- Check, repair and type-check one imported geometry (already EPSG:4326, lon/lat).
-- want: 'polygon' (result is a valid MultiPolygon), 'point' (a Point) or 'any' (valid, type kept).
-- Returns the geometry, or the reason it was rejected; `repair` is ST_IsValidReason when repaired.
-- A session-local function (pg_temp) so the importer needs no schema of its own.
CREATE OR REPLACE FUNCTION pg_temp.mk_import_geom(wkb bytea, want text,
    OUT geom geometry, OUT repair text, OUT reject text)
LANGUAGE plpgsql AS $fn$
DECLARE
    g geometry;
    t text;
    dim int;
    reason text;
BEGIN
    IF wkb IS NULL THEN
        reject := 'no geometry';
        RETURN;
    END IF;
    BEGIN
        g := ST_Force2D(ST_GeomFromWKB(wkb, 4326));
    EXCEPTION WHEN OTHERS THEN
        reject := 'unreadable geometry: ' || SQLERRM;
        RETURN;
    END;
    BEGIN
        IF ST_IsEmpty(g) THEN
            reject := 'empty geometry';
            RETURN;
        END IF;
        t := substr(ST_GeometryType(g), 4);
        dim := ST_Dimension(g);
        IF want = 'polygon' AND dim <> 2 THEN
            reject := format('wrong geometry type %s: expected Polygon or MultiPolygon', t);
            RETURN;
        ELSIF want = 'point' THEN
            IF t = 'MultiPoint' AND ST_NumGeometries(g) = 1 THEN
                g := ST_GeometryN(g, 1);
            ELSIF t <> 'Point' THEN
                reject := format('wrong geometry type %s: expected Point', t);
                RETURN;
            END IF;
        END IF;
        reason := ST_IsValidReason(g);
        IF reason <> 'Valid Geometry' THEN
            g := ST_MakeValid(g);
            IF dim > 0 THEN
                g := ST_CollectionExtract(g, dim + 1);
            END IF;
            IF ST_IsEmpty(g) OR ST_Dimension(g) <> dim OR ST_IsValidReason(g) <> 'Valid Geometry' THEN
                reject := format('invalid geometry (%s) that cannot be repaired: nothing valid of dimension %s is left', reason, dim);
                RETURN;
            END IF;
            repair := reason;
        ELSIF t = 'GeometryCollection' AND want = 'polygon' THEN
            g := ST_CollectionExtract(g, 3);
            repair := 'geometry collection reduced to its polygons';
        END IF;
        IF want = 'polygon' THEN
            g := ST_Multi(g);
        END IF;
    EXCEPTION WHEN OTHERS THEN
        reject := format('invalid geometry (%s) that cannot be repaired: %s', coalesce(reason, 'not checked'), SQLERRM);
        repair := NULL;
        RETURN;
    END;
    geom := g;
END
$fn$;
