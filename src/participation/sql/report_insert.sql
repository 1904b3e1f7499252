-- A report by participant $2 on public proposal $1 with reason $3, once per participant:
-- (found: the proposal is public, inserted: a new report). The trigger mk_proposal_report_hide
-- hides at the threshold.
WITH q AS (SELECT id FROM proposal_public WHERE id = $1),
ins AS (
    INSERT INTO proposal_report (proposal_id, participant_sha256, reason)
    SELECT q.id, $2, $3 FROM q
    ON CONFLICT DO NOTHING
    RETURNING proposal_id
)
SELECT EXISTS (SELECT 1 FROM q), EXISTS (SELECT 1 FROM ins)
