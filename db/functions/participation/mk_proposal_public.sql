-- The one visibility rule of proposals: the public sees a proposal unless a moderator (or enough
-- reports) hid it, or its commune moderates first and nobody approved it yet. Withdrawn and merged
-- proposals stay visible with their state. `proposal_public` is the only relation public paths
-- read: it carries no author column (proposal_author is never joined), the answer only once
-- published, and the project only when that project is public. Collections and tile sources can
-- be thin views over it. Comments follow the same rule (their own hidden and awaiting flags).
CREATE OR REPLACE FUNCTION mk_proposal_public(p_hidden boolean, p_awaiting boolean)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT NOT p_hidden AND NOT p_awaiting
$$;

CREATE OR REPLACE VIEW proposal_public AS
SELECT p.id, p.theme, p.lang, p.title, p.body, p.address, p.geom, p.geom_3857,
       p.municipality_code, p.delegation_code, p.zone_id, z.code AS zone_code,
       p.landuse_class, p.conformity_hint, p.state,
       CASE WHEN p.answered_at IS NOT NULL THEN p.answer END AS answer, p.answered_at,
       p.merged_into,
       CASE WHEN pr.id IS NOT NULL AND mk_project_visible(pr.id, pr.is_public, pr.partner, false, NULL, '{}')
            THEN pr.code END AS project_code,
       p.published_at, p.updated_at, p.withdrawn_at,
       (SELECT count(*) FROM proposal_support s WHERE s.proposal_id = p.id) AS supports,
       (SELECT count(*) FROM proposal_support s WHERE s.proposal_id = p.id AND s.verified) AS verified_supports,
       (SELECT count(*) FROM proposal_comment c WHERE c.proposal_id = p.id AND mk_proposal_public(c.hidden, c.awaiting_moderation)) AS comments
FROM proposal p
LEFT JOIN participation_zone z ON z.id = p.zone_id
LEFT JOIN project pr ON pr.id = p.project_id
WHERE mk_proposal_public(p.hidden, p.awaiting_moderation);
