-- "You said / we did" for commune $1: every public proposal with its published answer and the
-- status and progress of the (public) project that followed it.
SELECT json_build_object('municipality_code', $1::text, 'proposals', coalesce(json_agg(json_build_object(
    'id', q.id, 'title', q.title, 'theme', q.theme, 'state', q.state, 'answer', q.answer,
    'answered_at', q.answered_at, 'supports', q.supports, 'project', CASE WHEN q.project_code IS NOT NULL THEN
        json_build_object('code', pr.code, 'title_fr', pr.title_fr, 'title_ar', pr.title_ar, 'status', pr.status,
                          'physical_pct', m.physical_pct, 'committed_tnd', m.committed_tnd, 'paid_tnd', m.paid_tnd,
                          'last_report', m.last_report) END)
    ORDER BY (q.project_code IS NULL), q.answered_at DESC NULLS LAST, q.id DESC), '[]'))::text
FROM proposal_public q
LEFT JOIN project pr ON pr.code = q.project_code
LEFT JOIN project_monitor m ON m.project_id = pr.id
WHERE q.municipality_code = $1
