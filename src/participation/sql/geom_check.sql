-- Refuse a GeoJSON geometry PostGIS cannot read or finds invalid (mk_proposal_geom, SQLSTATE
-- MK400), before an edit ($1 GeoJSON text, already checked for structure).
SELECT mk_proposal_geom($1) IS NOT NULL
