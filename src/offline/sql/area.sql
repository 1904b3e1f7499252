-- $1: the whole country; $2: a commune's official code. Name and extent (EPSG:4326).
SELECT name_fr, name_ar, ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
FROM (
    SELECT 'Tunisie' AS name_fr, 'تونس' AS name_ar, ST_Extent(u.geom)::geometry AS e
    FROM admin_unit_current u
    WHERE $1 AND u.level = 'governorate'
    HAVING count(*) > 0
    UNION ALL
    SELECT u.name_fr, u.name_ar, ST_Envelope(u.geom) AS e
    FROM admin_unit_current u
    WHERE NOT $1 AND u.level = 'municipality' AND u.code = $2
) a
LIMIT 1
