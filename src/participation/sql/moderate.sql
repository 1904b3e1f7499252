-- $1 'proposal' or 'comment', $2 its id, $3 hide|unhide|clear|approve, $4 actor, $5 reason.
-- See mk_moderate.
SELECT mk_moderate($1, $2, $3, $4, $5)
