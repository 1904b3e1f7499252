SELECT r.project_type, r.class, r.outcome, coalesce(r.note_fr, ''), coalesce(r.note_ar, '')
FROM conformity_rule r LEFT JOIN landuse_class c ON c.class = r.class
ORDER BY r.project_type, c.family DESC NULLS LAST, r.class
