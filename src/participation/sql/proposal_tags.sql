-- The automatic tags and state of a proposal, for its author's receipt ($1 id). No personal data.
SELECT mk_proposal_receipt(p) FROM proposal p WHERE p.id = $1
