-- The record `row_id` of the table whose row type `kind` names (NULL::plan, NULL::proposal…),
-- locked FOR UPDATE until the caller's transaction ends; MK404 "no <what> <row_id>" (a 404 at the
-- HTTP edge) when there is none. The one way a participation function takes hold of what it changes.
CREATE OR REPLACE FUNCTION mk_locked(kind anyelement, row_id bigint, what text)
RETURNS anyelement LANGUAGE plpgsql AS $$
DECLARE
    found_row ALIAS FOR $0;
    n int;
BEGIN
    EXECUTE format('SELECT * FROM %s WHERE id = $1 FOR UPDATE', pg_typeof(kind))
        INTO found_row USING row_id;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n = 0 THEN
        RAISE EXCEPTION 'no % %', what, row_id USING ERRCODE = 'MK404';
    END IF;
    RETURN found_row;
END $$;
