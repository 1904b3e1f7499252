-- Send the boxes (3857, rounded outwards to whole metres) in messages of at most 100 boxes.
-- A NULL box list means "the whole source".
CREATE OR REPLACE FUNCTION mk_tile_notify(sources text[], boxes box2d[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    texts text[];
    i int;
BEGIN
    IF boxes IS NULL THEN
        PERFORM pg_notify('mokhattat_tiles', json_build_object('sources', sources, 'boxes', NULL)::text);
        RETURN;
    END IF;
    SELECT array_agg(DISTINCT format('[%s,%s,%s,%s]',
               floor(ST_XMin(b)), floor(ST_YMin(b)), ceil(ST_XMax(b)), ceil(ST_YMax(b))))
    INTO texts FROM unnest(boxes) b WHERE b IS NOT NULL;
    IF texts IS NULL THEN
        RETURN;
    END IF;
    i := 1;
    WHILE i <= cardinality(texts) LOOP
        PERFORM pg_notify('mokhattat_tiles',
            format('{"sources":%s,"boxes":[%s]}', to_json(sources), array_to_string(texts[i:i + 99], ',')));
        i := i + 100;
    END LOOP;
END $$;
