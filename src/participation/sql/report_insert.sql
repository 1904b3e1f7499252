-- A report by participant $2 on public proposal $1 with reason $3 (once per participant: no row
-- when already reported). The trigger mk_proposal_report_hide hides at the threshold.
INSERT INTO proposal_report (proposal_id, participant_sha256, reason)
SELECT q.id, $2, $3 FROM proposal_public q WHERE q.id = $1
ON CONFLICT DO NOTHING
RETURNING proposal_id
