-- The author's receipt of a proposal: its id, state, moderation flag and automatic tags. No
-- personal data. Given the row itself, so that the submission returns it from its INSERT.
CREATE OR REPLACE FUNCTION mk_proposal_receipt(p proposal) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('id', p.id, 'state', p.state, 'awaiting_moderation', p.awaiting_moderation,
           'tags', jsonb_build_object('municipality_code', p.municipality_code, 'delegation_code', p.delegation_code,
                   'zone_id', p.zone_id, 'zone_code', (SELECT z.code FROM participation_zone z WHERE z.id = p.zone_id),
                   'landuse_class', p.landuse_class, 'conformity_hint', p.conformity_hint))::text
$$;
