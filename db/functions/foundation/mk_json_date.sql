-- A date read from an event's data, or NULL when absent or malformed.
CREATE OR REPLACE FUNCTION mk_json_date(v text) RETURNS date
LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN v ~ '^\d{4}-\d{2}-\d{2}$' THEN v::date END $$;
