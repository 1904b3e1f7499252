-- Every line of an indicator table for level `lv` at `t`: the units (of governorate `gov` only, when
-- given), the unallocated buckets and the national total. Unallocated lines hold what no unit of the
-- level holds; units + unallocated = national, to the millime.
CREATE OR REPLACE FUNCTION mk_indicator_lines(lv text, t timestamptz, gov text)
RETURNS TABLE (kind text, level text, code text, name_ar text, name_fr text, name_en text, parent_code text,
               governorate_code text, population bigint, population_year int, population_source text,
               project_count int, budget_tnd numeric, budget_per_inhabitant numeric, beneficiaries bigint,
               committed_tnd numeric, paid_tnd numeric, execution_rate numeric, projects_with_progress int,
               delayed_count int, blocked_count int, rank_in_governorate int, units_in_governorate int,
               school_count int, school_per_10k numeric, school_nearest_km numeric,
               health_count int, health_per_10k numeric, health_nearest_km numeric,
               administration_count int, administration_per_10k numeric, administration_nearest_km numeric,
               post_count int, post_per_10k numeric, post_nearest_km numeric,
               police_count int, police_per_10k numeric, police_nearest_km numeric,
               settlement_method text, by_theme jsonb, by_status jsonb, by_funding jsonb)
LANGUAGE sql STABLE SET jit = off AS $$
WITH other AS MATERIALIZED (
    SELECT i.level, i.bucket, i.reason, i.project_count, i.budget_tnd, i.beneficiaries, i.committed_tnd, i.paid_tnd,
           i.projects_with_progress, i.delayed_count, i.blocked_count, i.by_theme, i.by_status, i.by_funding
    FROM unit_indicator i
    WHERE t IS NULL AND ((i.level = lv AND i.bucket LIKE '~%') OR i.level = 'national')
    UNION ALL
    SELECT c.level, c.bucket, c.reason, c.project_count, c.budget_tnd, c.beneficiaries, c.committed_tnd, c.paid_tnd,
           c.projects_with_progress, c.delayed_count, c.blocked_count, c.by_theme, c.by_status, c.by_funding
    FROM (SELECT lv AS l UNION ALL SELECT 'national') x, LATERAL mk_indicators_compute(x.l, NULL, t) c
    WHERE t IS NOT NULL AND (c.bucket LIKE '~%' OR c.level = 'national')
), natpop AS (
    SELECT sum(x.population)::bigint AS population, max(x.year) AS year, string_agg(DISTINCT x.source, '; ') AS source
    FROM (SELECT DISTINCT ON (g.code) p.population, p.year, p.source
          FROM admin_unit g JOIN population p ON p.level = 'governorate' AND p.code = g.code
          WHERE g.level = 'governorate'
            AND ((t IS NULL AND g.valid_to IS NULL) OR (t IS NOT NULL AND g.valid_from <= t AND (g.valid_to IS NULL OR g.valid_to > t)))
          ORDER BY g.code, (t IS NOT NULL AND p.year > extract(year FROM t)),
                   CASE WHEN t IS NOT NULL AND p.year > extract(year FROM t) THEN p.year END, p.year DESC, p.source) x
)
SELECT 'unit', u.level, u.code, u.name_ar, u.name_fr, u.name_en, u.parent_code, u.governorate_code, u.population,
       u.population_year, u.population_source, u.project_count, u.budget_tnd, u.budget_per_inhabitant,
       u.beneficiaries, u.committed_tnd, u.paid_tnd, u.execution_rate, u.projects_with_progress, u.delayed_count,
       u.blocked_count, u.rank_in_governorate, u.units_in_governorate,
       u.school_count, u.school_per_10k, u.school_nearest_km, u.health_count, u.health_per_10k, u.health_nearest_km,
       u.administration_count, u.administration_per_10k, u.administration_nearest_km,
       u.post_count, u.post_per_10k, u.post_nearest_km, u.police_count, u.police_per_10k, u.police_nearest_km,
       u.settlement_method, u.by_theme, u.by_status, u.by_funding
FROM mk_unit_indicator_rows(lv, t) u
WHERE gov IS NULL OR u.governorate_code = gov
UNION ALL
SELECT CASE WHEN o.level = 'national' THEN 'national' ELSE 'unallocated' END, o.level, o.bucket,
       CASE o.bucket WHEN '~national' THEN 'غير موزع: مشاريع وطنية' WHEN '~outside' THEN 'غير موزع: خارج كل وحدة'
                     WHEN '~coarser_precision' THEN 'غير موزع: موقع أقل دقة من المستوى' WHEN '~no_location' THEN 'غير موزع: بدون موقع'
                     WHEN 'TN' THEN 'الجمهورية التونسية' END,
       CASE o.bucket WHEN '~national' THEN 'Non réparti : projets nationaux' WHEN '~outside' THEN 'Non réparti : hors de toute unité'
                     WHEN '~coarser_precision' THEN 'Non réparti : localisation moins précise que le niveau'
                     WHEN '~no_location' THEN 'Non réparti : sans localisation' WHEN 'TN' THEN 'République tunisienne' END,
       CASE o.bucket WHEN '~national' THEN 'Unallocated: national projects' WHEN '~outside' THEN 'Unallocated: outside every unit'
                     WHEN '~coarser_precision' THEN 'Unallocated: located less precisely than the level'
                     WHEN '~no_location' THEN 'Unallocated: no location' WHEN 'TN' THEN 'Tunisian Republic' END,
       NULL, NULL,
       CASE WHEN o.level = 'national' THEN np.population END, CASE WHEN o.level = 'national' THEN np.year END,
       CASE WHEN o.level = 'national' THEN np.source END,
       o.project_count, o.budget_tnd,
       CASE WHEN o.level = 'national' THEN round(o.budget_tnd / nullif(np.population, 0), 3) END,
       o.beneficiaries, o.committed_tnd, o.paid_tnd, round(o.paid_tnd / nullif(o.budget_tnd, 0), 4),
       o.projects_with_progress, o.delayed_count, o.blocked_count, NULL, NULL,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       NULL, o.by_theme, o.by_status, o.by_funding
FROM other o CROSS JOIN natpop np
WHERE gov IS NULL OR o.level = 'national'
$$;
