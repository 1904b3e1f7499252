-- $1 proposal, $2 hide|unhide|clear|approve, $3 actor, $4 reason. See mk_proposal_moderate.
SELECT mk_proposal_moderate($1, $2, $3, $4)
