-- A report by participant $2 on public comment $1 (of a public proposal) with reason $3, once per
-- participant: (found, inserted). The trigger mk_comment_report_hide hides at the threshold.
WITH q AS (
    SELECT c.id FROM proposal_comment c JOIN proposal_public p ON p.id = c.proposal_id
    WHERE c.id = $1 AND mk_proposal_public(c.hidden, c.awaiting_moderation)
),
ins AS (
    INSERT INTO proposal_comment_report (comment_id, participant_sha256, reason)
    SELECT q.id, $2, $3 FROM q
    ON CONFLICT DO NOTHING
    RETURNING comment_id
)
SELECT EXISTS (SELECT 1 FROM q), EXISTS (SELECT 1 FROM ins)
