-- The moderation log of commune $1 (or of proposal $2), newest first.
SELECT json_build_object('log', coalesce(json_agg(json_build_object(
    'id', l.id, 'proposal_id', l.proposal_id, 'comment_id', l.comment_id, 'municipality_code', l.municipality_code, 'action', l.action,
    'actor', l.actor, 'reason', l.reason, 'data', l.data, 'at', l.at) ORDER BY l.id DESC), '[]'))::text
FROM moderation_log l
WHERE ($1::text IS NULL OR l.municipality_code = $1) AND ($2::bigint IS NULL OR l.proposal_id = $2)
