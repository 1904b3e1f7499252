-- A report by participant $2 with reason $3 on the public proposal or public comment (of a public
-- proposal) $1, as $4 says ('proposal' or 'comment'), once per participant: (found: the target is
-- public, inserted: a new report). The trigger function mk_report_hide
-- hides the target at its commune's threshold.
WITH q AS (
    SELECT id FROM proposal_public WHERE $4 = 'proposal' AND id = $1
    UNION ALL
    SELECT c.id FROM proposal_comment c JOIN proposal_public p ON p.id = c.proposal_id
    WHERE $4 = 'comment' AND c.id = $1 AND mk_proposal_public(c.hidden, c.awaiting_moderation)
),
on_proposal AS (
    INSERT INTO proposal_report (proposal_id, participant_sha256, reason)
    SELECT id, $2, $3 FROM q WHERE $4 = 'proposal'
    ON CONFLICT DO NOTHING RETURNING proposal_id
),
on_comment AS (
    INSERT INTO proposal_comment_report (comment_id, participant_sha256, reason)
    SELECT id, $2, $3 FROM q WHERE $4 = 'comment'
    ON CONFLICT DO NOTHING RETURNING comment_id
)
SELECT EXISTS (SELECT 1 FROM q), EXISTS (SELECT 1 FROM on_proposal) OR EXISTS (SELECT 1 FROM on_comment)
