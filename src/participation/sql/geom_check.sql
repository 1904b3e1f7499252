-- Is a GeoJSON geometry (already checked for structure) valid for PostGIS? ($1 GeoJSON text)
SELECT ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason
FROM (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) AS g) s
