-- The public proposals a public project ($1 code) answers.
SELECT json_build_object('project', $1::text, 'proposals', coalesce(json_agg(mk_proposal_public_json(q) ORDER BY q.id), '[]'))::text
FROM proposal_public q WHERE q.project_code = $1
