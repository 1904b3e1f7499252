-- The visible comments of public proposal $1 as a thread: depth-first, each reply after its parent.
WITH RECURSIVE t AS (
    SELECT c.id, c.parent_id, c.body, c.created_at, 0 AS depth, ARRAY[c.id] AS path
    FROM proposal_comment c JOIN proposal_public q ON q.id = c.proposal_id
    WHERE c.proposal_id = $1 AND c.parent_id IS NULL AND mk_proposal_public(c.hidden, c.awaiting_moderation)
    UNION ALL
    SELECT c.id, c.parent_id, c.body, c.created_at, t.depth + 1, t.path || c.id
    FROM proposal_comment c JOIN t ON c.parent_id = t.id
    WHERE mk_proposal_public(c.hidden, c.awaiting_moderation) AND t.depth < 100
)
SELECT json_build_object('comments', coalesce(json_agg(json_build_object(
    'id', id, 'parent_id', parent_id, 'depth', depth, 'body', body, 'created_at', created_at) ORDER BY path), '[]'))::text
FROM t
