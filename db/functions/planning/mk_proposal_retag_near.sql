-- Re-tag (mk_proposal_retag) the proposals a land-use or boundary change may have re-tagged: those
-- whose place meets one of `geoms` (the zones or unit versions that came or went), and those tagged
-- with one of `codes` (municipality or delegation codes that changed). Called in the importing
-- transaction, once per statement: by mk_trg_zone_changed and mk_trg_layer_changed (land-use
-- imports and edits) and by mk_assignment_drain at commit (unit imports).
CREATE OR REPLACE FUNCTION mk_proposal_retag_near(geoms geometry[], codes text[]) RETURNS int
LANGUAGE sql SET jit = off AS $$
    SELECT mk_proposal_retag(array(
        SELECT p.id FROM unnest(geoms) AS g(geom) JOIN proposal p ON p.geom && g.geom AND ST_Intersects(p.geom, g.geom)
        UNION
        SELECT p.id FROM proposal p WHERE p.municipality_code = ANY (codes)
        UNION
        SELECT p.id FROM proposal p WHERE p.delegation_code = ANY (codes)))
$$;
