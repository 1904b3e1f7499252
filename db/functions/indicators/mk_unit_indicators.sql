-- Indicators of every unit of level `lv` (NULL: all levels) valid at `t` (NULL: now, from the
-- caches), with population (latest year, or as of t the latest year not after t), facilities and
-- the rank within the governorate (by budget per inhabitant, highest first; governorates are ranked
-- nationally). The columns are those of unit_indicator_row (migration 0024), which stores
-- these rows; unit_indicators_layer adds the units' geometry.
-- Applying this file stores the current rows again (mk_indicator_rows_store): they always come
-- from this very definition.
CREATE OR REPLACE FUNCTION mk_unit_indicators(lv text, t timestamptz)
RETURNS SETOF unit_indicator_row
LANGUAGE sql STABLE SET jit = off AS $$
WITH u AS MATERIALIZED (
    SELECT u.id, u.level, u.code, u.version, u.name_ar, u.name_fr, u.name_en, u.parent_code,
           CASE u.level WHEN 'governorate' THEN u.code
                        WHEN 'sector' THEN (SELECT d.parent_code FROM admin_unit d WHERE d.level = 'delegation'
                                            AND d.code = u.parent_code ORDER BY d.valid_to IS NULL DESC, d.version DESC LIMIT 1)
                        ELSE u.parent_code END AS gov
    FROM admin_unit u
    WHERE (lv IS NULL OR u.level = lv)
      AND ((t IS NULL AND u.valid_to IS NULL) OR (t IS NOT NULL AND u.valid_from <= t AND (u.valid_to IS NULL OR u.valid_to > t)))
), ui AS (
    SELECT i.level, i.bucket, i.project_count, i.budget_tnd, i.beneficiaries, i.committed_tnd, i.paid_tnd,
           i.projects_with_progress, i.delayed_count, i.blocked_count, i.by_theme, i.by_status, i.by_funding, i.computed_at
    FROM unit_indicator i WHERE t IS NULL AND (lv IS NULL OR i.level = lv)
    UNION ALL
    SELECT c.level, c.bucket, c.project_count, c.budget_tnd, c.beneficiaries, c.committed_tnd, c.paid_tnd,
           c.projects_with_progress, c.delayed_count, c.blocked_count, c.by_theme, c.by_status, c.by_funding, now()
    FROM (SELECT DISTINCT u.level FROM u) l, LATERAL mk_indicators_compute(l.level, NULL, t) c
    WHERE t IS NOT NULL
), fac AS (
    SELECT f.unit_id, f.kind, f.facilities, f.nearest_km FROM unit_facility f WHERE t IS NULL
    UNION ALL
    SELECT f.unit_id, f.kind, f.facilities, f.nearest_km FROM mk_facility_compute(array(SELECT u.id FROM u)) f
    WHERE t IS NOT NULL
), settle AS (
    SELECT s.unit_id, s.method FROM unit_settlement s WHERE t IS NULL
    UNION ALL
    SELECT s.unit_id, s.method FROM mk_settlement_compute(array(SELECT u.id FROM u)) s WHERE t IS NOT NULL
), pop AS (
    SELECT DISTINCT ON (u.id) u.id, p.population, p.year, p.source
    FROM u JOIN population p ON p.level = u.level AND p.code = u.code
    ORDER BY u.id, (t IS NOT NULL AND p.year > extract(year FROM t)),
             CASE WHEN t IS NOT NULL AND p.year > extract(year FROM t) THEN p.year END, p.year DESC, p.source
), urows AS (
    SELECT u.*, pop.population, pop.year, pop.source, ui.project_count, ui.budget_tnd, ui.beneficiaries,
           ui.committed_tnd, ui.paid_tnd, ui.projects_with_progress, ui.delayed_count, ui.blocked_count,
           ui.by_theme, ui.by_status, ui.by_funding, ui.computed_at,
           round(coalesce(ui.budget_tnd, 0) / nullif(pop.population, 0), 3) AS per_inhabitant,
           settle.method AS settlement
    FROM u
    LEFT JOIN ui ON ui.level = u.level AND ui.bucket = u.code
    LEFT JOIN pop ON pop.id = u.id
    LEFT JOIN settle ON settle.unit_id = u.id
), fk AS (
    SELECT fac.unit_id,
           max(fac.facilities) FILTER (WHERE fac.kind = 'school') AS school_n,
           max(fac.nearest_km) FILTER (WHERE fac.kind = 'school') AS school_km,
           max(fac.facilities) FILTER (WHERE fac.kind = 'health') AS health_n,
           max(fac.nearest_km) FILTER (WHERE fac.kind = 'health') AS health_km,
           max(fac.facilities) FILTER (WHERE fac.kind = 'administration') AS administration_n,
           max(fac.nearest_km) FILTER (WHERE fac.kind = 'administration') AS administration_km,
           max(fac.facilities) FILTER (WHERE fac.kind = 'post') AS post_n,
           max(fac.nearest_km) FILTER (WHERE fac.kind = 'post') AS post_km,
           max(fac.facilities) FILTER (WHERE fac.kind = 'police') AS police_n,
           max(fac.nearest_km) FILTER (WHERE fac.kind = 'police') AS police_km
    FROM fac GROUP BY fac.unit_id
)
SELECT r.id, r.level, r.code, r.version, r.name_ar, r.name_fr, r.name_en, r.parent_code, r.gov,
       r.population, r.year, r.source,
       coalesce(r.project_count, 0), coalesce(r.budget_tnd, 0), r.per_inhabitant, coalesce(r.beneficiaries, 0),
       coalesce(r.committed_tnd, 0), coalesce(r.paid_tnd, 0),
       round(r.paid_tnd / nullif(r.budget_tnd, 0), 4), coalesce(r.projects_with_progress, 0),
       coalesce(r.delayed_count, 0), coalesce(r.blocked_count, 0),
       (rank() OVER w)::int, (count(*) OVER (PARTITION BY r.level, CASE WHEN r.level = 'governorate' THEN 'TN' ELSE r.gov END))::int,
       fk.school_n, round(fk.school_n * 10000.0 / nullif(r.population, 0), 3), round(fk.school_km::numeric, 3),
       fk.health_n, round(fk.health_n * 10000.0 / nullif(r.population, 0), 3), round(fk.health_km::numeric, 3),
       fk.administration_n, round(fk.administration_n * 10000.0 / nullif(r.population, 0), 3), round(fk.administration_km::numeric, 3),
       fk.post_n, round(fk.post_n * 10000.0 / nullif(r.population, 0), 3), round(fk.post_km::numeric, 3),
       fk.police_n, round(fk.police_n * 10000.0 / nullif(r.population, 0), 3), round(fk.police_km::numeric, 3),
       r.settlement, coalesce(r.by_theme, '{}'), coalesce(r.by_status, '{}'), coalesce(r.by_funding, '{}'),
       r.computed_at
FROM urows r LEFT JOIN fk ON fk.unit_id = r.id
WINDOW w AS (PARTITION BY r.level, CASE WHEN r.level = 'governorate' THEN 'TN' ELSE r.gov END
             ORDER BY r.per_inhabitant DESC NULLS LAST)
$$;

SELECT mk_indicator_rows_store();
