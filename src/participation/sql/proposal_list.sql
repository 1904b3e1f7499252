-- Public proposals, newest first ($1 municipality, $2 theme, $3 state, $4 zone code: NULL for
-- any; $5 limit, $6 offset).
SELECT json_build_object('proposals', coalesce(json_agg(j ORDER BY id DESC), '[]'))::text
FROM (
    SELECT q.id, mk_proposal_public_json(q) AS j
    FROM proposal_public q
    WHERE ($1::text IS NULL OR q.municipality_code = $1) AND ($2::text IS NULL OR q.theme = $2)
      AND ($3::text IS NULL OR q.state = $3) AND ($4::text IS NULL OR q.zone_code = $4)
    ORDER BY q.id DESC
    LIMIT $5 OFFSET $6
) s
