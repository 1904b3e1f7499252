-- Pairs (unit index, candidate index) closer than the candidate's distance: units $1 lon[], $2
-- lat[]; candidates $3 lon[], $4 lat[], $5 metres[] (ST_DWithin on geography, as for facilities).
WITH u AS (SELECT (i - 1)::int AS unit, ST_SetSRID(ST_MakePoint(x, y), 4326)::geography AS g
           FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS t(x, y, i)),
c AS (SELECT (i - 1)::int AS cand, ST_SetSRID(ST_MakePoint(x, y), 4326)::geography AS g, d
      FROM unnest($3::float8[], $4::float8[], $5::float8[]) WITH ORDINALITY AS t(x, y, d, i))
SELECT u.unit, c.cand FROM u JOIN c ON ST_DWithin(u.g, c.g, c.d) ORDER BY 1, 2
