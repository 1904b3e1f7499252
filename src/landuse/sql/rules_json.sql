-- The rule matrix with what a client needs to edit it.
SELECT json_build_object(
    'rules', (SELECT coalesce(json_agg(json_build_object(
                  'project_type', r.project_type, 'class', r.class, 'outcome', r.outcome,
                  'note_fr', r.note_fr, 'note_ar', r.note_ar, 'updated_at', r.updated_at, 'updated_by', r.updated_by)
                  ORDER BY r.project_type, c.family DESC NULLS LAST, r.class), '[]')
              FROM conformity_rule r LEFT JOIN landuse_class c ON c.class = r.class),
    'classes', (SELECT json_agg(json_build_object('class', c.class, 'family', c.family, 'name_fr', c.name_fr,
                                                  'name_ar', c.name_ar, 'name_en', c.name_en) ORDER BY c.family DESC, c.class)
                FROM landuse_class c)::jsonb
               || jsonb_build_array(jsonb_build_object('class', 'outside', 'family', 'none',
                      'name_fr', 'Hors de toute zone', 'name_ar', 'خارج كل منطقة', 'name_en', 'Outside every zone')),
    'outcomes', json_build_array('allowed', 'conditional', 'forbidden'),
    'project_types', (SELECT coalesce(json_agg(DISTINCT r.project_type), '[]') FROM conformity_rule r),
    'notes', 'A location part with no rule for its (project type, class) counts as conditional (to be reviewed); a project type without any rule is not assessed. PUT replaces the whole matrix (admin key; JSON {"rules": [...]} or CSV with the header project_type,class,outcome,note_fr,note_ar).'
)::text
