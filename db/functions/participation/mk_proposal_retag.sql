-- Proposals are tagged again when participation zones change (an OGC API Part 4 edit, an import
-- with --as zones, a deletion): every proposal whose place the old or new zone covers, or that
-- named a changed zone, gets the tags of mk_participation_tags again (zone, municipality,
-- delegation, land-use class, conformity hint). Statement triggers: an import re-tags once.
CREATE OR REPLACE FUNCTION mk_proposal_retag(ids bigint[]) RETURNS int
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    n int;
BEGIN
    UPDATE proposal p
    SET municipality_code = t.municipality_code, delegation_code = t.delegation_code,
        zone_id = t.zone_id, landuse_class = t.landuse_class, conformity_hint = t.conformity_hint,
        updated_at = now()
    FROM proposal q JOIN proposal_theme th ON th.theme = q.theme,
         LATERAL mk_participation_tags(q.geom, th.project_type) t
    WHERE q.id = p.id AND p.id = ANY(ids)
      AND (p.municipality_code, p.delegation_code, p.zone_id, p.landuse_class, p.conformity_hint)
          IS DISTINCT FROM (t.municipality_code, t.delegation_code, t.zone_id, t.landuse_class, t.conformity_hint);
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END $$;
