-- The automatic tags and state of a proposal, for its author's receipt ($1 id). No personal data.
SELECT jsonb_build_object('id', p.id, 'state', p.state, 'awaiting_moderation', p.awaiting_moderation,
       'tags', jsonb_build_object('municipality_code', p.municipality_code, 'delegation_code', p.delegation_code,
               'zone_id', p.zone_id, 'zone_code', z.code, 'landuse_class', p.landuse_class,
               'conformity_hint', p.conformity_hint))::text
FROM proposal p LEFT JOIN participation_zone z ON z.id = p.zone_id
WHERE p.id = $1
