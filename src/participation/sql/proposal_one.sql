-- One public proposal ($1 id) as JSON, or no row.
SELECT mk_proposal_public_json(q)::text FROM proposal_public q WHERE q.id = $1
