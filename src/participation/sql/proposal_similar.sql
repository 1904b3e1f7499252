-- Possible duplicates of proposal $1 within $2 metres (mk_proposal_similar); '[]' when none.
SELECT coalesce((SELECT mk_proposal_similar(p.id, p.geom, p.theme, $2) FROM proposal p WHERE p.id = $1), '[]')
