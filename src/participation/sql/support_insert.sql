-- One support per participant ($2) on an open public proposal $1; $3 the meeting whose code
-- verified it. No row: already supported.
INSERT INTO proposal_support (proposal_id, participant_sha256, verified, meeting_id)
SELECT q.id, $2, $3::bigint IS NOT NULL, $3 FROM proposal_public q
WHERE q.id = $1 AND q.state IN ('published', 'evaluating')
ON CONFLICT DO NOTHING
RETURNING verified
