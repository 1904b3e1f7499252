-- The tile source that draws the units of `level`.
CREATE OR REPLACE FUNCTION mk_level_source(level text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE level WHEN 'municipality' THEN 'municipalities' WHEN 'delegation' THEN 'delegations'
                    WHEN 'governorate' THEN 'governorates' END
$$;
