-- The same lines as indicators.sql, flat, as text (numbers keep their exact decimals).
SELECT ARRAY[kind, level, code, name_fr, name_ar, name_en, parent_code, governorate_code, population::text,
             population_year::text, project_count::text, budget_tnd::text, budget_per_inhabitant::text,
             beneficiaries::text, committed_tnd::text, paid_tnd::text, execution_rate::text,
             projects_with_progress::text, delayed_count::text, blocked_count::text, rank_in_governorate::text,
             units_in_governorate::text,
             school_count::text, school_per_10k::text, school_nearest_km::text,
             health_count::text, health_per_10k::text, health_nearest_km::text,
             administration_count::text, administration_per_10k::text, administration_nearest_km::text,
             post_count::text, post_per_10k::text, post_nearest_km::text,
             police_count::text, police_per_10k::text, police_nearest_km::text,
             settlement_method, population_source]
FROM mk_indicator_lines($1, $2, $3)
ORDER BY CASE kind WHEN 'unit' THEN 0 WHEN 'unallocated' THEN 1 ELSE 2 END, code
