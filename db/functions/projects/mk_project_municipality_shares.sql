-- The same, as a sentence with the shares (each location weighs the same), for a 403.
CREATE OR REPLACE FUNCTION mk_project_municipality_shares(pid bigint) RETURNS text
LANGUAGE sql STABLE AS $$
WITH n AS (SELECT count(DISTINCT a.location_id) AS n FROM location_assignment a
           WHERE a.project_id = pid AND a.valid_to IS NULL AND a.level = 'municipality'),
s AS (SELECT a.unit_code, sum(a.share) / (SELECT n FROM n) AS share
      FROM location_assignment a
      WHERE a.project_id = pid AND a.valid_to IS NULL AND a.level = 'municipality'
      GROUP BY a.unit_code)
SELECT coalesce(string_agg(coalesce(s.unit_code || coalesce(' ' || u.name_fr, ''), 'outside every municipality')
                           || ' (' || to_char(round((100 * s.share)::numeric, 1), 'FM990.0') || ' %)',
                           ', ' ORDER BY s.share DESC, s.unit_code), 'no municipality')
FROM s LEFT JOIN admin_unit_current u ON u.level = 'municipality' AND u.code = s.unit_code
$$;
