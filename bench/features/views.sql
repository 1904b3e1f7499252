-- Views that give pygeoapi's PostgreSQL provider the same rows and properties Mokhattat serves
-- (same expressions as src/features/catalog.rs), so both servers do the same database work.
CREATE OR REPLACE VIEW bench_oapif_municipalities AS
SELECT t.code, t.name_ar, t.name_fr, t.name_en, t.parent_code,
       (SELECT p.population FROM population p WHERE p.level = t.level AND p.code = t.code ORDER BY p.year DESC, p.source LIMIT 1) AS population,
       (SELECT p.year FROM population p WHERE p.level = t.level AND p.code = t.code ORDER BY p.year DESC, p.source LIMIT 1) AS population_year,
       round(t.area_km2::numeric, 3) AS area_km2, t.version, t.valid_from, t.geom
FROM admin_unit t WHERE t.valid_to IS NULL AND t.level = 'municipality';

CREATE OR REPLACE VIEW bench_oapif_projects AS
SELECT t.id, t.code, t.title_fr, t.title_ar, t.title_en, t.description_fr, t.description_ar, t.description_en,
       t.theme, t.project_type, t.owner, t.partner, t.status,
       (SELECT s.name_fr FROM project_status s WHERE s.status = t.status) AS status_fr,
       (SELECT s.name_ar FROM project_status s WHERE s.status = t.status) AS status_ar,
       (SELECT s.name_en FROM project_status s WHERE s.status = t.status) AS status_en,
       t.planned_start, t.planned_end, t.actual_start, t.actual_end, t.budget_tnd, t.beneficiaries,
       (SELECT e.physical_pct FROM project_event e WHERE e.project_id = t.id AND e.physical_pct IS NOT NULL ORDER BY e.at DESC, e.id DESC LIMIT 1) AS physical_pct,
       t.is_public,
       (SELECT count(*) FROM project_location l WHERE l.project_id = t.id) AS locations,
       t.source, t.created_at, t.updated_at, t.revision,
       (SELECT ST_Collect(l.geom ORDER BY l.id) FROM project_location l WHERE l.project_id = t.id) AS geom
FROM project t WHERE t.is_public;

CREATE OR REPLACE VIEW bench_oapif_facilities AS
SELECT t.id, t.source_id, t.kind, t.subtype, t.name, t.name_ar, t.name_fr, t.source, t.geom FROM facility t;
