-- The zooms that get a generalised copy of every polygon (bands 5..11).
CREATE OR REPLACE FUNCTION mk_tile_bands() RETURNS int[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT ARRAY[5, 6, 7, 8, 9, 10, 11] $$;
