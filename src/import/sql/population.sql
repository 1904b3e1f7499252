-- Population figures per (unit, year, source); changed figures are updated.
INSERT INTO population AS p (level, code, year, population, source)
SELECT $1, s.key, (s.data->>'population_year')::int, (s.data->>'population')::bigint,
       coalesce(s.data->>'population_source', $2)
FROM mk_stage s
WHERE s.reject IS NULL AND s.data ? 'population'
ON CONFLICT (level, code, year, source) DO UPDATE SET population = EXCLUDED.population
WHERE p.population IS DISTINCT FROM EXCLUDED.population
RETURNING code
