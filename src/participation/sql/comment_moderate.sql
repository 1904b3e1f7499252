-- $1 comment, $2 hide|unhide|clear|approve, $3 actor, $4 reason. See mk_comment_moderate.
SELECT mk_comment_moderate($1, $2, $3, $4)
