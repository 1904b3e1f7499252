-- Public record of meeting $1 (or of every meeting of commune $2 when $1 is NULL): attendance by
-- sex and age band with totals, ranked priorities with their (public) proposals, and delegates —
-- a delegate's name only with their consent. Participant codes are never shown.
SELECT coalesce(json_agg(json_build_object(
    'id', m.id, 'municipality_code', m.municipality_code, 'zone_code', z.code, 'held_at', m.held_at,
    'place_name', m.place_name, 'geometry', ST_AsGeoJSON(m.geom, 7)::json, 'agenda', m.agenda, 'minutes', m.minutes,
    'attendance', (SELECT coalesce(json_agg(json_build_object('sex', a.sex, 'age_band', a.age_band, 'count', a.count)
                                            ORDER BY a.sex, a.age_band), '[]') FROM meeting_attendance a WHERE a.meeting_id = m.id),
    'attendance_total', (SELECT coalesce(sum(a.count), 0) FROM meeting_attendance a WHERE a.meeting_id = m.id),
    'attendance_women', (SELECT coalesce(sum(a.count), 0) FROM meeting_attendance a WHERE a.meeting_id = m.id AND a.sex = 'female'),
    'priorities', (SELECT coalesce(json_agg(json_build_object('rank', p.rank, 'label', p.label, 'votes', p.votes,
                                                              'proposal_id', q.id, 'proposal_title', q.title, 'proposal_state', q.state)
                                            ORDER BY p.rank), '[]')
                   FROM meeting_priority p LEFT JOIN proposal_public q ON q.id = p.proposal_id WHERE p.meeting_id = m.id),
    'delegates', (SELECT coalesce(json_agg(json_build_object('name', CASE WHEN d.consent_public THEN d.name END,
                                                             'sex', d.sex, 'name_withheld', NOT d.consent_public) ORDER BY d.id), '[]')
                  FROM meeting_delegate d WHERE d.meeting_id = m.id),
    'participant_codes', (SELECT count(*) FROM meeting_code c WHERE c.meeting_id = m.id),
    'participant_codes_used', (SELECT count(*) FROM meeting_code c WHERE c.meeting_id = m.id AND c.used_at IS NOT NULL))
    ORDER BY m.held_at DESC, m.id), '[]')::text
FROM meeting m LEFT JOIN participation_zone z ON z.id = m.zone_id
WHERE ($1::bigint IS NOT NULL AND m.id = $1) OR ($1::bigint IS NULL AND ($2::text IS NULL OR m.municipality_code = $2))
