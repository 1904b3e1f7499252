-- Record the change of `sources` (tile_change: the sources' new data version) and send the boxes
-- (3857, rounded outwards to whole metres) in messages of at most 100 boxes, each naming the
-- change and the clock (`at`, seconds). A NULL box list means "the whole source"; an empty one,
-- no change at all (nothing recorded, nothing sent).
CREATE OR REPLACE FUNCTION mk_tile_notify(sources text[], boxes box2d[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    texts text[];
    i int;
    change bigint;
    head text;
BEGIN
    IF boxes IS NOT NULL THEN
        SELECT array_agg(DISTINCT format('[%s,%s,%s,%s]',
                   floor(ST_XMin(b)), floor(ST_YMin(b)), ceil(ST_XMax(b)), ceil(ST_YMax(b))))
        INTO texts FROM unnest(boxes) b WHERE b IS NOT NULL;
        IF texts IS NULL THEN
            RETURN;
        END IF;
    END IF;
    change := nextval('tile_change_seq');
    INSERT INTO tile_change (source, id) SELECT DISTINCT s, change FROM unnest(sources) s;
    head := format('{"sources":%s,"change":%s,"at":%s', to_json(sources), change,
                   extract(epoch FROM clock_timestamp()));
    IF boxes IS NULL THEN
        PERFORM pg_notify('mokhattat_tiles', head || ',"boxes":null}');
        RETURN;
    END IF;
    i := 1;
    WHILE i <= cardinality(texts) LOOP
        PERFORM pg_notify('mokhattat_tiles', head || format(',"boxes":[%s]}', array_to_string(texts[i:i + 99], ',')));
        i := i + 100;
    END LOOP;
END $$;
