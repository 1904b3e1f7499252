-- A comment ($3 text, $4 participant) on public proposal $1, answering comment $2 of the same
-- proposal when given. No row: no such proposal or parent.
INSERT INTO proposal_comment (proposal_id, parent_id, body, participant_sha256)
SELECT q.id, $2, $3, $4 FROM proposal_public q
WHERE q.id = $1
  AND ($2::bigint IS NULL OR EXISTS (SELECT 1 FROM proposal_comment c WHERE c.id = $2 AND c.proposal_id = $1 AND mk_proposal_public(c.hidden, c.awaiting_moderation)))
RETURNING id
