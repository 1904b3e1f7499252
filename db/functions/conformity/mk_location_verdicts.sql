-- Verdict per location: every zone part (and the part outside all zones) gets the outcome of its
-- rule (no rule for the pair: conditional, "to be reviewed"); the verdict is the worst outcome of
-- the parts covering at least 0.1 % of the location. Locations given only at unit level, and
-- projects without a type or without any rule for their type, are not assessed.
CREATE OR REPLACE FUNCTION mk_location_verdicts(ids bigint[])
RETURNS TABLE (location_id bigint, project_id bigint, verdict text, reason text, outside_share double precision,
               forbidden_share double precision, conditional_share double precision, allowed_share double precision,
               parts jsonb, summary_fr text, summary_ar text)
LANGUAGE sql STABLE AS $$
WITH loc AS MATERIALIZED (
    SELECT l.id, l.project_id, l.precision, p.project_type,
           EXISTS (SELECT 1 FROM conformity_rule r WHERE r.project_type = p.project_type) AS has_rules
    FROM project_location l JOIN unnest(ids) AS i(id) ON i.id = l.id
    JOIN project p ON p.id = l.project_id
), assessed AS (
    SELECT * FROM loc WHERE loc.precision IN ('exact', 'approximate') AND loc.has_rules
), cover AS (
    SELECT c.location_id, max(c.covered) AS covered
    FROM (SELECT z.location_id, z.layer_id, least(sum(z.share), 1.0) AS covered
          FROM location_zone z JOIN assessed a ON a.id = z.location_id GROUP BY 1, 2) c
    GROUP BY 1
), parts AS (
    SELECT a.id, z.zone_id, lz.zone_code, ll.slug AS layer, ll.version AS layer_version, z.class, z.share,
           coalesce(r.outcome, 'conditional') AS outcome, r.outcome IS NOT NULL AS ruled, r.note_fr, r.note_ar,
           a.project_type
    FROM assessed a JOIN location_zone z ON z.location_id = a.id
    JOIN landuse_zone lz ON lz.id = z.zone_id JOIN landuse_layer ll ON ll.id = z.layer_id
    LEFT JOIN conformity_rule r ON r.project_type = a.project_type AND r.class = z.class
    UNION ALL
    SELECT a.id, NULL, NULL, NULL, NULL, 'outside', 1.0 - coalesce(c.covered, 0),
           coalesce(r.outcome, 'conditional'), r.outcome IS NOT NULL, r.note_fr, r.note_ar, a.project_type
    FROM assessed a LEFT JOIN cover c ON c.location_id = a.id
    LEFT JOIN conformity_rule r ON r.project_type = a.project_type AND r.class = 'outside'
    WHERE 1.0 - coalesce(c.covered, 0) > 1e-9
), agg AS (
    SELECT p.id,
           (ARRAY['allowed', 'conditional', 'forbidden'])[max(CASE p.outcome WHEN 'allowed' THEN 1 WHEN 'conditional' THEN 2 ELSE 3 END)
                                                          FILTER (WHERE p.share >= 0.001)] AS verdict,
           coalesce(sum(p.share) FILTER (WHERE p.class = 'outside'), 0) AS outside_share,
           least(coalesce(sum(p.share) FILTER (WHERE p.outcome = 'forbidden'), 0), 1) AS forbidden_share,
           least(coalesce(sum(p.share) FILTER (WHERE p.outcome = 'conditional'), 0), 1) AS conditional_share,
           least(coalesce(sum(p.share) FILTER (WHERE p.outcome = 'allowed'), 0), 1) AS allowed_share,
           jsonb_agg(jsonb_build_object(
               'zone_id', p.zone_id, 'layer', p.layer, 'layer_version', p.layer_version, 'zone_code', p.zone_code,
               'class', p.class, 'share', round(p.share::numeric, 4), 'outcome', p.outcome,
               'rule', CASE WHEN p.ruled THEN jsonb_build_object('project_type', p.project_type, 'class', p.class, 'outcome', p.outcome) END,
               'note_fr', coalesce(p.note_fr, CASE WHEN NOT p.ruled THEN 'Pas de règle pour ce couple type × classe : à examiner.' END),
               'note_ar', coalesce(p.note_ar, CASE WHEN NOT p.ruled THEN 'لا توجد قاعدة لهذا الزوج نوع × صنف: للدراسة.' END))
               ORDER BY p.share DESC, p.zone_id) AS parts,
           string_agg(format('%s%s %s %% : %s', coalesce(c.name_fr, 'Hors zones'), coalesce(' (' || p.zone_code || ')', ''),
                             round(p.share::numeric * 100), CASE p.outcome WHEN 'allowed' THEN 'autorisé'
                             WHEN 'conditional' THEN 'sous conditions' ELSE 'interdit' END), ' ; ' ORDER BY p.share DESC, p.zone_id) AS summary_fr,
           string_agg(format('%s%s %s %% : %s', coalesce(c.name_ar, 'خارج المناطق'), coalesce(' (' || p.zone_code || ')', ''),
                             round(p.share::numeric * 100), CASE p.outcome WHEN 'allowed' THEN 'مسموح'
                             WHEN 'conditional' THEN 'بشروط' ELSE 'ممنوع' END), ' ؛ ' ORDER BY p.share DESC, p.zone_id) AS summary_ar
    FROM parts p LEFT JOIN landuse_class c ON c.class = p.class
    GROUP BY p.id
)
SELECT loc.id, loc.project_id,
       coalesce(agg.verdict, 'not_assessed'),
       CASE WHEN loc.precision NOT IN ('exact', 'approximate') THEN 'location given at ' || loc.precision || ' level: too coarse to overlay with zones'
            WHEN loc.project_type IS NULL THEN 'the project has no type'
            WHEN NOT loc.has_rules THEN 'no conformity rule for project type ' || loc.project_type
            WHEN loc.precision = 'approximate' THEN 'approximate location: verdict indicative' END,
       agg.outside_share, agg.forbidden_share, agg.conditional_share, agg.allowed_share,
       coalesce(agg.parts, '[]'), agg.summary_fr, agg.summary_ar
FROM loc LEFT JOIN agg ON agg.id = loc.id
$$;
