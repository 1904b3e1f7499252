-- The public state of proposal $1 (no row when it is not public).
SELECT state FROM proposal_public WHERE id = $1
