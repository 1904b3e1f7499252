-- The moderation queue of commune $1: its proposals and comments waiting for approval
-- (moderate-first), hidden, or with uncleared reports; $2 keeps only pending, reported or hidden
-- ones (NULL: all); a page of $3 from $4, oldest first. Reports by reason; never an author.
WITH open_reports AS (
    SELECT 'proposal' AS kind, r.proposal_id AS id, r.reason FROM proposal_report r
    JOIN proposal p ON p.id = r.proposal_id
    WHERE r.cleared_at IS NULL AND p.municipality_code = $1
    UNION ALL
    SELECT 'comment', r.comment_id, r.reason FROM proposal_comment_report r
    JOIN proposal_comment c ON c.id = r.comment_id JOIN proposal p ON p.id = c.proposal_id
    WHERE r.cleared_at IS NULL AND p.municipality_code = $1
),
reports AS (
    SELECT kind, id, count(*) AS n, jsonb_object_agg(reason, k) AS reasons
    FROM (SELECT kind, id, reason, count(*) AS k FROM open_reports GROUP BY kind, id, reason) x
    GROUP BY kind, id
),
items AS (
    SELECT 'proposal' AS kind, p.id, p.id AS proposal_id, p.title AS text, p.state,
           p.awaiting_moderation AS pending, p.hidden, p.published_at AS at
    FROM proposal p
    WHERE p.municipality_code = $1
      AND (p.awaiting_moderation OR p.hidden OR p.id IN (SELECT id FROM reports WHERE kind = 'proposal'))
    UNION ALL
    SELECT 'comment', c.id, c.proposal_id, c.body, NULL, c.awaiting_moderation, c.hidden, c.created_at
    FROM proposal_comment c JOIN proposal p ON p.id = c.proposal_id
    WHERE p.municipality_code = $1
      AND (c.awaiting_moderation OR c.hidden OR c.id IN (SELECT id FROM reports WHERE kind = 'comment'))
),
chosen AS (
    SELECT i.*, coalesce(r.n, 0) AS reports, coalesce(r.reasons, '{}') AS reasons
    FROM items i LEFT JOIN reports r ON r.kind = i.kind AND r.id = i.id
    WHERE $2::text IS NULL OR ($2 = 'pending' AND i.pending) OR ($2 = 'hidden' AND i.hidden)
       OR ($2 = 'reported' AND r.n > 0)
),
page AS (SELECT * FROM chosen ORDER BY at, kind DESC, id LIMIT $3 OFFSET $4)
SELECT json_build_object(
    'municipality', $1, 'status', $2::text, 'total', (SELECT count(*) FROM chosen), 'limit', $3, 'offset', $4,
    'items', coalesce((SELECT json_agg(json_build_object(
        'kind', kind, 'id', id, 'proposal_id', proposal_id, 'text', text, 'state', state,
        'pending', pending, 'hidden', hidden, 'reports', reports, 'reasons', reasons, 'at', at)
        ORDER BY at, kind DESC, id) FROM page), '[]'))::text
