-- $1 proposal, $2 state (NULL: the pending draft), $3 moderator|author, $4 actor, $5 answer,
-- $6 merged into, $7 publish now. See mk_proposal_transition.
SELECT mk_proposal_transition($1, $2, $3, $4, $5, $6, $7)
