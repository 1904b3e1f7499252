-- The funding answer: lines, total, budget and warnings.
CREATE OR REPLACE FUNCTION mk_funding_json(pid bigint) RETURNS text
LANGUAGE sql STABLE AS $$
SELECT jsonb_build_object(
    'project', p.code,
    'budget_tnd', p.budget_tnd,
    'total_tnd', (SELECT coalesce(sum(f.amount_tnd), 0) FROM funding_line f WHERE f.project_id = p.id),
    'lines', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', f.id, 'source_kind', f.source_kind, 'funder', f.funder,
                                                          'amount', f.amount, 'currency', f.currency,
                                                          'amount_tnd', f.amount_tnd, 'note', f.note) ORDER BY f.id), '[]')
              FROM funding_line f WHERE f.project_id = p.id),
    'source_kinds', to_jsonb(mk_funding_kinds()),
    'warnings', mk_project_warnings(p.id))::text
FROM project p WHERE p.id = pid
$$;
