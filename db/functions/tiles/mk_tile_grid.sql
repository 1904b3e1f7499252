-- Size in metres of one unit of a 512-unit tile at zoom z.
CREATE OR REPLACE FUNCTION mk_tile_grid(z int) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT 40075016.68557849 / (512.0 * 2 ^ z) $$;
