-- The author's edit of proposal $1, allowed only until an answer is published and while the
-- proposal is open ($2 theme, $3 title, $4 body, $5 address, $6 GeoJSON: NULL keeps the value;
-- an unreadable or invalid shape is refused by mk_proposal_geom, SQLSTATE MK400, answered 400).
UPDATE proposal
SET theme = coalesce($2, theme), title = coalesce($3, title), body = coalesce($4, body),
    address = coalesce($5, address),
    geom = coalesce(mk_proposal_geom($6), geom), updated_at = now()
WHERE id = $1 AND answered_at IS NULL AND state IN ('published', 'evaluating')
RETURNING id
