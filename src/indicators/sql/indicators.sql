-- Indicators of every unit of level $1 at $2 (NULL: now) [of governorate $3], with the unallocated
-- lines, the national total and the reconciliation of the budget.
WITH l AS MATERIALIZED (
    SELECT * FROM mk_indicator_lines($1, $2, $3)
), o AS (
    SELECT l.kind, l.code, l.budget_tnd, json_build_object(
        'level', l.level, 'code', l.code, 'name_ar', l.name_ar, 'name_fr', l.name_fr, 'name_en', l.name_en,
        'parent_code', l.parent_code, 'governorate_code', l.governorate_code,
        'population', l.population, 'population_year', l.population_year, 'population_source', l.population_source,
        'project_count', l.project_count, 'budget_tnd', l.budget_tnd, 'budget_per_inhabitant', l.budget_per_inhabitant,
        'beneficiaries', l.beneficiaries, 'committed_tnd', l.committed_tnd, 'paid_tnd', l.paid_tnd,
        'execution_rate', l.execution_rate,
        'execution_basis', json_build_object('projects', l.project_count, 'budget_tnd', l.budget_tnd,
                                             'paid_tnd', l.paid_tnd, 'projects_with_progress', l.projects_with_progress,
                                             'excluded', 'cancelled'),
        'cancelled', coalesce(l.by_status->'cancelled', '{"projects": 0, "budget_tnd": 0}'),
        'projects_with_progress', l.projects_with_progress,
        'delayed_count', l.delayed_count, 'blocked_count', l.blocked_count,
        'rank_in_governorate', l.rank_in_governorate, 'units_in_governorate', l.units_in_governorate,
        'facilities', CASE WHEN l.kind = 'unit' THEN json_build_object(
            'school', json_build_object('count', l.school_count, 'per_10k', l.school_per_10k, 'nearest_km', l.school_nearest_km),
            'health', json_build_object('count', l.health_count, 'per_10k', l.health_per_10k, 'nearest_km', l.health_nearest_km),
            'administration', json_build_object('count', l.administration_count, 'per_10k', l.administration_per_10k, 'nearest_km', l.administration_nearest_km),
            'post', json_build_object('count', l.post_count, 'per_10k', l.post_per_10k, 'nearest_km', l.post_nearest_km),
            'police', json_build_object('count', l.police_count, 'per_10k', l.police_per_10k, 'nearest_km', l.police_nearest_km)) END,
        'settlement_method', l.settlement_method,
        'by_theme', l.by_theme, 'by_status', l.by_status, 'by_funding', l.by_funding) AS j
    FROM l
)
SELECT json_build_object(
    'level', $1::text, 'as_of', $2::timestamptz, 'governorate', $3::text, 'generated_at', now(),
    'units', (SELECT coalesce(json_agg(o.j ORDER BY o.code), '[]') FROM o WHERE o.kind = 'unit'),
    'unallocated', (SELECT coalesce(json_agg(o.j ORDER BY o.code), '[]') FROM o WHERE o.kind = 'unallocated'),
    'national', (SELECT o.j FROM o WHERE o.kind = 'national'),
    'reconciliation', (SELECT json_build_object(
        'units_budget_tnd', coalesce(sum(o.budget_tnd) FILTER (WHERE o.kind = 'unit'), 0),
        'unallocated_budget_tnd', coalesce(sum(o.budget_tnd) FILTER (WHERE o.kind = 'unallocated'), 0),
        'national_budget_tnd', coalesce(sum(o.budget_tnd) FILTER (WHERE o.kind = 'national'), 0),
        'difference_tnd', coalesce(sum(o.budget_tnd) FILTER (WHERE o.kind = 'national'), 0)
                          - coalesce(sum(o.budget_tnd) FILTER (WHERE o.kind <> 'national'), 0),
        'complete', $3::text IS NULL) FROM o),
    'definitions', json_build_object(
        'projects', 'Public projects with a share in the unit, cancelled ones excepted; a project counts once in every unit it touches.',
        'cancelled', 'Cancelled public projects with a share in the unit (their status at the date): counted here only, in no other figure.',
        'execution_basis', 'The projects and apportioned budget execution_rate is computed over (cancelled projects excluded); paid_tnd from their latest progress reports.',
        'budget_tnd', 'Budgets of the counted projects apportioned by share (length for lines, area for polygons, equal weight per location), largest-remainder rounding to the millime.',
        'budget_per_inhabitant', 'budget_tnd / population of the unit (its latest population year; as of a date, the latest year not after it).',
        'execution_rate', 'paid_tnd / budget_tnd over execution_basis, from the latest progress reports.',
        'delayed', 'Open projects past their planned end, or past their planned start without works started.',
        'blocked', 'Suspended projects, projects whose latest report says blocked, and works without physical progress between two reports 180 days or more apart.',
        'facilities', 'Facilities inside the unit per 10,000 inhabitants, and distance in km from the unit''s main settlement (the town hall inside the unit nearest to its point on surface, else that point) to the nearest facility of each kind.',
        'rank_in_governorate', 'Rank by budget per inhabitant (1 = highest) among the units of the same level in the governorate; governorates are ranked nationally.',
        'unallocated', 'What no unit of this level holds: national projects, parts outside every unit, locations less precise than the level, projects without location.')
)::text
