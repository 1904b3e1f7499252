-- Plan $1 with its stages and lines (lines on projects the public may see).
SELECT json_build_object(
    'id', p.id, 'municipality_code', p.municipality_code, 'kind', p.kind, 'title', p.title,
    'period_start', p.period_start, 'period_end', p.period_end, 'status', p.status, 'adopted_on', p.adopted_on,
    'deliberation_ref', p.deliberation_ref, 'envelope_tnd', p.envelope_tnd, 'version', p.version,
    'previous_id', p.previous_id, 'next_id', (SELECT n.id FROM plan n WHERE n.previous_id = p.id), 'created_at', p.created_at, 'updated_at', p.updated_at,
    'stages', (SELECT json_agg(json_build_object('stage', s.stage, 'starts_on', s.starts_on, 'ends_on', s.ends_on,
                                                 'outputs', s.outputs)
                               ORDER BY array_position(ARRAY['diagnosis', 'planning', 'implementation', 'monitoring'], s.stage))
               FROM plan_stage s WHERE s.plan_id = p.id),
    'lines', (SELECT coalesce(json_agg(json_build_object('id', l.id, 'project', pr.code, 'title_fr', pr.title_fr,
                                                         'title_ar', pr.title_ar, 'year', l.year, 'amount_tnd', l.amount_tnd,
                                                         'zone_code', z.code) ORDER BY l.year, pr.code), '[]')
              FROM plan_line l JOIN project pr ON pr.id = l.project_id
              LEFT JOIN participation_zone z ON z.id = l.zone_id
              WHERE l.plan_id = p.id AND mk_project_visible(pr.id, pr.is_public, pr.partner, false, NULL, '{}')))::text
FROM plan p WHERE p.id = $1
