-- Local calendar date of an instant (Tunisia, UTC+1 all year).
CREATE OR REPLACE FUNCTION mk_local_date(t timestamptz) RETURNS date
LANGUAGE sql STABLE AS $$ SELECT (coalesce(t, now()) AT TIME ZONE 'Africa/Tunis')::date $$;
