-- The facility kinds every unit gets a count and a nearest distance for.
CREATE OR REPLACE FUNCTION mk_facility_kinds() RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$ SELECT ARRAY['school', 'health', 'administration', 'post', 'police'] $$;
