-- Planning intelligence, part 2: what the database keeps up to date by itself — conformity with
-- land use, facilities around each unit, indicator caches — and the triggers that keep everything
-- derived (assignments, apportionment, monitoring, conformity, indicators) in line with the data,
-- whatever tool writes it. Statement-level triggers with transition tables: a bulk import of
-- 100,000 locations is one set-based pass, not 100,000 row-level calls.

-- ================================================================ land-use conformity
-- The rule matrix: project type × normalised zone class → allowed / conditional / forbidden.
-- `class` is a landuse_class, or 'outside' for the part of a location outside every zone.
CREATE TABLE conformity_rule (
    project_type text NOT NULL,
    class        text NOT NULL,
    outcome      text NOT NULL CHECK (outcome IN ('allowed', 'conditional', 'forbidden')),
    note_fr      text,
    note_ar      text,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    updated_by   text NOT NULL DEFAULT 'default',
    PRIMARY KEY (project_type, class)
);

CREATE FUNCTION mk_rule_check() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    IF NEW.class <> 'outside' AND NOT EXISTS (SELECT 1 FROM landuse_class c WHERE c.class = NEW.class) THEN
        RAISE EXCEPTION 'unknown land-use class %: use one of the landuse_class classes or outside', NEW.class
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF btrim(NEW.project_type) = '' THEN
        RAISE EXCEPTION 'empty project type' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER conformity_rule_check BEFORE INSERT OR UPDATE ON conformity_rule
    FOR EACH ROW EXECUTE FUNCTION mk_rule_check();

-- The documented default (docs/planning.md): A allowed, C conditional, F forbidden, per class in
-- the order residential, mixed_centre, activity, green, equipment, agricultural, protected,
-- special, urban_perimeter_2014, extension_2016, outside.
WITH classes AS (
    SELECT * FROM unnest(ARRAY['residential', 'mixed_centre', 'activity', 'green', 'equipment', 'agricultural',
                               'protected', 'special', 'urban_perimeter_2014', 'extension_2016', 'outside'])
         WITH ORDINALITY AS c(class, i)
), grid(project_type, letters) AS (VALUES
    ('road',      'AAACACCCAAC'),
    ('network',   'AAACACCCAAC'),
    ('building',  'AACFCFFCACF'),
    ('facility',  'AACCAFFCACC'),
    ('programme', 'AAAAAAAAAAA')
), notes(class, note_fr, note_ar) AS (VALUES
    ('activity',       'Zone d''activités : autorisé sous conditions (compatibilité avec les activités).', 'منطقة أنشطة: مسموح بشروط (التلاؤم مع الأنشطة).'),
    ('green',          'Espace vert : non constructible ; réseaux et voiries seulement avec autorisation.', 'منطقة خضراء: غير قابلة للبناء؛ الشبكات والطرقات بترخيص فقط.'),
    ('equipment',      'Réservé aux équipements publics : autres usages soumis à autorisation.', 'مخصص للتجهيزات العمومية: الاستعمالات الأخرى تخضع لترخيص.'),
    ('agricultural',   'Zone agricole (loi 83-87) : construction interdite sauf dérogation ; infrastructures linéaires soumises à autorisation.', 'منطقة فلاحية (القانون 83-87): البناء ممنوع إلا باستثناء؛ البنية التحتية الخطية بترخيص.'),
    ('protected',      'Zone protégée ou servitude : construction interdite ; traversée de réseaux soumise à l''avis du gestionnaire.', 'منطقة محمية أو ارتفاق: البناء ممنوع؛ عبور الشبكات يخضع لرأي المتصرف.'),
    ('special',        'Zone spéciale : avis de l''autorité compétente requis.', 'منطقة خاصة: يشترط رأي السلطة المختصة.'),
    ('extension_2016', 'Extension communale 2016 : pas encore couverte par un PAU approuvé ; permis au cas par cas.', 'توسعة بلدية 2016: غير مغطاة بعد بمثال تهيئة مصادق عليه؛ ترخيص حالة بحالة.'),
    ('outside',        'Hors de toute zone connue (hors périmètre, en mer) : à vérifier ; hors PAU la protection des terres agricoles s''applique.', 'خارج كل منطقة معروفة (خارج المحيط أو في البحر): للتثبت؛ خارج مثال التهيئة تنطبق حماية الأراضي الفلاحية.')
)
INSERT INTO conformity_rule (project_type, class, outcome, note_fr, note_ar)
SELECT g.project_type, c.class,
       CASE substr(g.letters, c.i::int, 1) WHEN 'A' THEN 'allowed' WHEN 'C' THEN 'conditional' ELSE 'forbidden' END,
       CASE WHEN substr(g.letters, c.i::int, 1) <> 'A' THEN n.note_fr END,
       CASE WHEN substr(g.letters, c.i::int, 1) <> 'A' THEN n.note_ar END
FROM grid g CROSS JOIN classes c LEFT JOIN notes n ON n.class = c.class;

-- Zones of the current version of every land-use layer (the highest version of its slug), cut
-- into small pieces like the units.
CREATE VIEW landuse_layer_current AS
SELECT l.* FROM landuse_layer l
WHERE NOT EXISTS (SELECT 1 FROM landuse_layer n WHERE n.slug = l.slug AND n.version > l.version);

-- The overlay of each project location with the current zones (exact and approximate locations).
CREATE TABLE location_zone (
    location_id bigint NOT NULL,
    project_id  bigint NOT NULL,
    zone_id     bigint NOT NULL,
    layer_id    bigint NOT NULL,
    class       text   NOT NULL,
    share       double precision NOT NULL,
    PRIMARY KEY (location_id, zone_id)
);
CREATE INDEX location_zone_zone ON location_zone (zone_id);
CREATE INDEX location_zone_layer ON location_zone (layer_id);

-- Verdict per location: every zone part (and the part outside all zones) gets the outcome of its
-- rule (no rule for the pair: conditional, "to be reviewed"); the verdict is the worst outcome of
-- the parts covering at least 0.1 % of the location. Locations given only at unit level, and
-- projects without a type or without any rule for their type, are not assessed.
CREATE FUNCTION mk_location_verdicts(ids bigint[])
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

CREATE TABLE location_conformity (
    location_id       bigint PRIMARY KEY,
    project_id        bigint NOT NULL,
    verdict           text NOT NULL CHECK (verdict IN ('allowed', 'conditional', 'forbidden', 'not_assessed')),
    reason            text,
    outside_share     double precision,
    forbidden_share   double precision,
    conditional_share double precision,
    allowed_share     double precision,
    parts             jsonb NOT NULL,
    summary_fr        text,
    summary_ar        text,
    computed_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX location_conformity_project ON location_conformity (project_id);

CREATE TABLE project_conformity (
    project_id      bigint PRIMARY KEY,
    verdict         text NOT NULL CHECK (verdict IN ('allowed', 'conditional', 'forbidden', 'not_assessed')),
    assessed        int NOT NULL,
    locations       int NOT NULL,
    forbidden_share double precision,
    reasons         jsonb NOT NULL,
    computed_at     timestamptz NOT NULL DEFAULT now()
);

-- Project verdict: the worst verdict of its assessed locations, with every location's reasons.
CREATE FUNCTION mk_conformity_projects(pids bigint[]) RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    DELETE FROM project_conformity c USING unnest(pids) AS i(id) WHERE c.project_id = i.id;
    INSERT INTO project_conformity (project_id, verdict, assessed, locations, forbidden_share, reasons)
    SELECT p.id,
           coalesce((ARRAY['allowed', 'conditional', 'forbidden'])[max(CASE lc.verdict WHEN 'allowed' THEN 1
                    WHEN 'conditional' THEN 2 WHEN 'forbidden' THEN 3 END)], 'not_assessed'),
           count(*) FILTER (WHERE lc.verdict <> 'not_assessed'), count(lc.location_id),
           avg(lc.forbidden_share) FILTER (WHERE lc.verdict <> 'not_assessed'),
           coalesce(jsonb_agg(jsonb_build_object('location_id', lc.location_id, 'place_name', l.place_name,
                    'precision', l.precision, 'verdict', lc.verdict, 'reason', lc.reason, 'parts', lc.parts)
                    ORDER BY lc.location_id) FILTER (WHERE lc.location_id IS NOT NULL), '[]')
    FROM project p JOIN unnest(pids) AS i(id) ON i.id = p.id
    LEFT JOIN location_conformity lc ON lc.project_id = p.id
    LEFT JOIN project_location l ON l.id = lc.location_id
    GROUP BY p.id;
END $$;

-- Verdicts of locations `ids` (from the stored overlay), then of their projects.
CREATE FUNCTION mk_conformity_locations(ids bigint[]) RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    pids bigint[];
BEGIN
    WITH gone AS (
        DELETE FROM location_conformity c USING unnest(ids) AS i(id) WHERE c.location_id = i.id
        RETURNING c.project_id
    ), fresh AS (
        INSERT INTO location_conformity (location_id, project_id, verdict, reason, outside_share, forbidden_share,
                                         conditional_share, allowed_share, parts, summary_fr, summary_ar)
        SELECT * FROM mk_location_verdicts(ids)
        RETURNING project_id
    )
    SELECT array_agg(DISTINCT x) INTO pids FROM (SELECT project_id FROM gone UNION ALL SELECT project_id FROM fresh) t(x);
    IF pids IS NOT NULL THEN
        PERFORM mk_conformity_projects(pids);
    END IF;
END $$;

-- Overlay then verdicts for locations `ids` (locations that no longer exist are cleared).
CREATE FUNCTION mk_conformity_overlay(ids bigint[]) RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    geo bigint[];
    sets text[] := array(SELECT 'layer:' || c.id FROM landuse_layer_current c);
BEGIN
    IF ids IS NULL OR cardinality(ids) = 0 THEN
        RETURN;
    END IF;
    DELETE FROM location_zone z USING unnest(ids) AS i(id) WHERE z.location_id = i.id;
    geo := array(SELECT l.id FROM project_location l JOIN unnest(ids) AS i(id) ON i.id = l.id
                 WHERE l.precision IN ('exact', 'approximate'));
    IF cardinality(geo) > 0 AND cardinality(sets) > 0 THEN
        PERFORM mk_overlay_run(geo, sets);
        INSERT INTO location_zone (location_id, project_id, zone_id, layer_id, class, share)
        SELECT o.loc_id, l.project_id, o.member_id, substr(o.set_key, 7)::bigint, o.code, sum(o.share)
        FROM mk_ov o JOIN project_location l ON l.id = o.loc_id
        WHERE o.member_id IS NOT NULL
        GROUP BY o.loc_id, l.project_id, o.member_id, o.set_key, o.code;
    END IF;
    PERFORM mk_conformity_locations(ids);
END $$;

-- Keep the zone pieces equal to the zones of the current layer versions of `slugs`; returns the
-- locations whose overlay may have changed (they overlapped a removed piece or overlap a new one).
CREATE FUNCTION mk_landuse_sync(slugs text[], zone_ids bigint[]) RETURNS bigint[]
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    affected bigint[];
    stale bigint[];
BEGIN
    -- pieces of zones that changed, and of layers that are no longer current
    stale := array(
        SELECT DISTINCT p.zone_id FROM landuse_zone_piece p
        WHERE p.zone_id IN (SELECT unnest(zone_ids))
           OR p.layer_id IN (SELECT l.id FROM landuse_layer l WHERE l.slug IN (SELECT unnest(slugs))
                             AND l.id NOT IN (SELECT c.id FROM landuse_layer_current c))
           OR p.layer_id NOT IN (SELECT l.id FROM landuse_layer l));
    affected := array(SELECT DISTINCT z.location_id FROM location_zone z WHERE z.zone_id IN (SELECT unnest(stale))
                      UNION SELECT DISTINCT z.location_id FROM location_zone z WHERE z.zone_id IN (SELECT unnest(zone_ids)));
    PERFORM mk_mask_stale(array(SELECT DISTINCT 'layer:' || p.layer_id FROM landuse_zone_piece p
                                WHERE p.zone_id IN (SELECT unnest(stale))));
    DELETE FROM landuse_zone_piece p WHERE p.zone_id IN (SELECT unnest(stale));
    -- pieces of current zones that have none (new zones, changed zones, a layer that became current)
    WITH added AS (
        INSERT INTO landuse_zone_piece (zone_id, layer_id, class, geom)
        SELECT z.id, z.layer_id, z.class, ST_Subdivide(z.geom, 64)
        FROM landuse_zone z JOIN landuse_layer_current c ON c.id = z.layer_id
        WHERE (c.slug IN (SELECT unnest(slugs)) OR z.id IN (SELECT unnest(zone_ids)))
          AND NOT EXISTS (SELECT 1 FROM landuse_zone_piece p WHERE p.zone_id = z.id)
        RETURNING layer_id, geom
    ), stale_masks AS (
        SELECT mk_mask_stale(array(SELECT DISTINCT 'layer:' || a.layer_id FROM added a))
    )
    SELECT array(SELECT unnest(affected) UNION SELECT DISTINCT l.id FROM project_location l JOIN added a ON l.geom && a.geom)
    INTO affected
    FROM stale_masks;
    RETURN affected;
END $$;

-- ================================================================ facilities around each unit
-- The unit's main settlement: the town hall (facility administration/townhall) inside the unit
-- nearest to its point on surface, else that point on surface. Distances are measured from it to
-- the nearest facility of each kind (on the spheroid), counts are the facilities inside the unit.
CREATE FUNCTION mk_settlement_compute(unit_ids bigint[])
RETURNS TABLE (unit_id bigint, method text, facility_id bigint, geom geometry)
LANGUAGE sql STABLE AS $$
SELECT u.id, CASE WHEN th.id IS NULL THEN 'point_on_surface' ELSE 'townhall' END, th.id, coalesce(th.geom, ps.pos)
FROM admin_unit u
JOIN unnest(unit_ids) AS i(id) ON i.id = u.id
CROSS JOIN LATERAL (SELECT ST_PointOnSurface(u.geom) AS pos) ps
LEFT JOIN LATERAL (
    SELECT f.id, f.geom FROM facility f
    WHERE f.kind = 'administration' AND f.subtype = 'townhall' AND ST_Intersects(u.geom, f.geom)
    ORDER BY f.geom <-> ps.pos LIMIT 1
) th ON true
$$;

CREATE TABLE unit_settlement (
    unit_id     bigint PRIMARY KEY,
    method      text NOT NULL,
    facility_id bigint,
    geom        geometry(Point, 4326) NOT NULL
);

CREATE FUNCTION mk_facility_kinds() RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$ SELECT ARRAY['school', 'health', 'administration', 'post', 'police'] $$;

CREATE FUNCTION mk_facility_compute(unit_ids bigint[])
RETURNS TABLE (unit_id bigint, kind text, facilities int, nearest_km double precision, nearest_facility_id bigint)
LANGUAGE sql STABLE AS $$
WITH u AS MATERIALIZED (
    SELECT u.id, u.geom, coalesce(s.geom, c.geom) AS settlement
    FROM admin_unit u JOIN unnest(unit_ids) AS i(id) ON i.id = u.id
    LEFT JOIN unit_settlement s ON s.unit_id = u.id
    LEFT JOIN LATERAL (SELECT x.geom FROM mk_settlement_compute(ARRAY[u.id]) x WHERE s.unit_id IS NULL) c ON true
), counts AS (
    SELECT u.id, f.kind, count(*)::int AS n
    FROM u JOIN facility f ON ST_Intersects(u.geom, f.geom)
    GROUP BY 1, 2
)
SELECT u.id, k.kind, coalesce(c.n, 0), n.km, n.fid
FROM u CROSS JOIN unnest(mk_facility_kinds()) AS k(kind)
LEFT JOIN counts c ON c.id = u.id AND c.kind = k.kind
LEFT JOIN LATERAL (
    SELECT c8.id AS fid, ST_Distance(c8.geom::geography, u.settlement::geography) / 1000 AS km
    FROM (SELECT f.id, f.geom FROM facility f WHERE f.kind = k.kind ORDER BY f.geom <-> u.settlement LIMIT 8) c8
    ORDER BY 2, 1 LIMIT 1
) n ON true
$$;

CREATE TABLE unit_facility (
    unit_id             bigint NOT NULL,
    kind                text   NOT NULL,
    facilities          int    NOT NULL,
    nearest_km          double precision,
    nearest_facility_id bigint,
    PRIMARY KEY (unit_id, kind)
);

-- Refresh the facility figures of current units `unit_ids` (NULL: all current units);
-- `settlements`: recompute their main settlement too.
CREATE FUNCTION mk_facility_refresh(unit_ids bigint[], settlements boolean) RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    IF unit_ids IS NULL THEN
        unit_ids := array(SELECT id FROM admin_unit WHERE valid_to IS NULL);
    END IF;
    DELETE FROM unit_settlement s WHERE s.unit_id NOT IN (SELECT id FROM admin_unit WHERE valid_to IS NULL);
    DELETE FROM unit_facility f WHERE f.unit_id NOT IN (SELECT id FROM admin_unit WHERE valid_to IS NULL);
    unit_ids := array(SELECT u.id FROM admin_unit u JOIN unnest(unit_ids) AS i(id) ON i.id = u.id WHERE u.valid_to IS NULL);
    IF settlements THEN
        DELETE FROM unit_settlement s USING unnest(unit_ids) AS i(id) WHERE s.unit_id = i.id;
        INSERT INTO unit_settlement SELECT * FROM mk_settlement_compute(unit_ids);
    END IF;
    DELETE FROM unit_facility f USING unnest(unit_ids) AS i(id) WHERE f.unit_id = i.id;
    INSERT INTO unit_facility SELECT * FROM mk_facility_compute(unit_ids);
END $$;

-- ================================================================ monitoring and indicators caches
-- The derived monitoring state of every project now (kept by mk_project_refresh; delays depend on
-- the date, so the caches are recomputed on the first indicator request of a new day).
CREATE TABLE project_monitor (
    project_id       bigint PRIMARY KEY,
    status           text NOT NULL,
    physical_pct     numeric,
    committed_tnd    numeric(18, 3),
    paid_tnd         numeric(18, 3),
    reports          int NOT NULL,
    last_report      date,
    execution_rate   numeric,
    start_delay_days int,
    end_delay_days   int,
    delayed          boolean NOT NULL,
    blocked          boolean NOT NULL,
    blocked_cause    text,
    computed_at      timestamptz NOT NULL DEFAULT now()
);

-- Indicator figures per unit (bucket = unit code) or per unallocated reason (bucket '~national',
-- '~outside', '~coarser_precision', '~no_location'), per level; level 'national', bucket 'TN': the
-- whole country. Public projects only. `t` NULL: now, from the caches; else as of t, recomputed.
CREATE FUNCTION mk_indicators_compute(lv text, buckets text[], t timestamptz)
RETURNS TABLE (level text, bucket text, unit_code text, reason text, project_count int, budget_tnd numeric,
               beneficiaries bigint, committed_tnd numeric, paid_tnd numeric, projects_with_progress int,
               delayed_count int, blocked_count int, by_theme jsonb, by_status jsonb, by_funding jsonb)
LANGUAGE sql STABLE AS $$
WITH st AS MATERIALIZED (
    SELECT m.project_id, m.status, m.reports, m.delayed, m.blocked, m.committed_tnd, m.paid_tnd
    FROM project_monitor m WHERE t IS NULL
    UNION ALL
    SELECT s.project_id, s.status, s.reports, s.delayed, s.blocked, s.committed_tnd, s.paid_tnd
    FROM mk_project_state(NULL, t) s WHERE t IS NOT NULL
), ap AS (
    SELECT a.project_id, a.bucket, a.unit_code, a.reason, a.budget_tnd, a.beneficiaries, a.committed_tnd, a.paid_tnd
    FROM project_apportionment a
    WHERE t IS NULL AND lv <> 'national' AND a.level = lv AND (buckets IS NULL OR a.bucket IN (SELECT unnest(buckets)))
    UNION ALL
    SELECT a.project_id, a.bucket, a.unit_code, a.reason, a.budget_tnd, a.beneficiaries, a.committed_tnd, a.paid_tnd
    FROM mk_apportion_compute(NULL, t) a
    WHERE t IS NOT NULL AND lv <> 'national' AND a.level = lv AND (buckets IS NULL OR a.bucket IN (SELECT unnest(buckets)))
    UNION ALL
    SELECT p.id, 'TN', 'TN', NULL, p.budget_tnd, p.beneficiaries, st.committed_tnd, st.paid_tnd
    FROM project p JOIN st ON st.project_id = p.id
    WHERE lv = 'national'
), base AS MATERIALIZED (
    SELECT ap.*, coalesce(p.theme, 'unspecified') AS theme, st.status, st.reports, st.delayed, st.blocked
    FROM ap JOIN project p ON p.id = ap.project_id AND p.is_public
    JOIN st ON st.project_id = ap.project_id
), fund AS (
    SELECT f.bucket, f.source_kind, sum(f.amount_tnd) AS amount
    FROM (SELECT fa.project_id, fa.bucket, fa.source_kind, fa.amount_tnd FROM funding_apportionment fa
          WHERE t IS NULL AND lv <> 'national' AND fa.level = lv AND (buckets IS NULL OR fa.bucket IN (SELECT unnest(buckets)))
          UNION ALL
          SELECT fa.project_id, fa.bucket, fa.source_kind, fa.amount_tnd FROM mk_funding_apportion_compute(NULL, t) fa
          WHERE t IS NOT NULL AND lv <> 'national' AND fa.level = lv AND (buckets IS NULL OR fa.bucket IN (SELECT unnest(buckets)))
          UNION ALL
          SELECT fl.project_id, 'TN', fl.source_kind, fl.amount_tnd FROM funding_line fl
          WHERE lv = 'national') f
    JOIN base b ON b.project_id = f.project_id AND b.bucket = f.bucket
    GROUP BY 1, 2
), tot AS (
    SELECT b.bucket, min(b.unit_code) AS unit_code, min(b.reason) AS reason, count(*)::int AS n,
           coalesce(sum(b.budget_tnd), 0) AS budget, coalesce(sum(b.beneficiaries), 0)::bigint AS ben,
           coalesce(sum(b.committed_tnd), 0) AS committed, coalesce(sum(b.paid_tnd), 0) AS paid,
           count(*) FILTER (WHERE b.reports > 0)::int AS wp, count(*) FILTER (WHERE b.delayed)::int AS dl,
           count(*) FILTER (WHERE b.blocked)::int AS bl
    FROM base b GROUP BY b.bucket
), th AS (
    SELECT x.bucket, jsonb_object_agg(x.theme, jsonb_build_object('projects', x.n, 'budget_tnd', x.b)) AS j
    FROM (SELECT b.bucket, b.theme, count(*) AS n, coalesce(sum(b.budget_tnd), 0) AS b FROM base b GROUP BY 1, 2) x
    GROUP BY x.bucket
), ss AS (
    SELECT x.bucket, jsonb_object_agg(x.status, jsonb_build_object('projects', x.n, 'budget_tnd', x.b)) AS j
    FROM (SELECT b.bucket, b.status, count(*) AS n, coalesce(sum(b.budget_tnd), 0) AS b FROM base b GROUP BY 1, 2) x
    GROUP BY x.bucket
), fu AS (
    SELECT fund.bucket, jsonb_object_agg(fund.source_kind, fund.amount) AS j FROM fund GROUP BY fund.bucket
)
SELECT lv, tot.bucket, tot.unit_code, tot.reason, tot.n, tot.budget, tot.ben, tot.committed, tot.paid, tot.wp,
       tot.dl, tot.bl, coalesce(th.j, '{}'), coalesce(ss.j, '{}'), coalesce(fu.j, '{}')
FROM tot LEFT JOIN th ON th.bucket = tot.bucket LEFT JOIN ss ON ss.bucket = tot.bucket
LEFT JOIN fu ON fu.bucket = tot.bucket
$$;

CREATE TABLE unit_indicator (
    level                  text NOT NULL,
    bucket                 text NOT NULL,
    unit_code              text,
    reason                 text,
    project_count          int NOT NULL,
    budget_tnd             numeric(18, 3) NOT NULL,
    beneficiaries          bigint NOT NULL,
    committed_tnd          numeric(18, 3) NOT NULL,
    paid_tnd               numeric(18, 3) NOT NULL,
    projects_with_progress int NOT NULL,
    delayed_count          int NOT NULL,
    blocked_count          int NOT NULL,
    by_theme               jsonb NOT NULL,
    by_status              jsonb NOT NULL,
    by_funding             jsonb NOT NULL,
    computed_at            timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (level, bucket)
);

-- Recompute the cached indicator rows `keys` ('level|bucket'), and the national row.
CREATE FUNCTION mk_indicators_refresh(keys text[]) RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    lv text;
    buckets text[];
BEGIN
    IF keys IS NULL OR cardinality(keys) = 0 THEN
        RETURN;
    END IF;
    FOR lv IN SELECT DISTINCT split_part(k, '|', 1) FROM unnest(keys) AS k LOOP
        buckets := array(SELECT DISTINCT substr(k, length(lv) + 2) FROM unnest(keys) AS k WHERE split_part(k, '|', 1) = lv);
        DELETE FROM unit_indicator u WHERE u.level = lv AND u.bucket IN (SELECT unnest(buckets));
        INSERT INTO unit_indicator (level, bucket, unit_code, reason, project_count, budget_tnd, beneficiaries,
                                    committed_tnd, paid_tnd, projects_with_progress, delayed_count, blocked_count,
                                    by_theme, by_status, by_funding)
        SELECT * FROM mk_indicators_compute(lv, buckets, NULL);
    END LOOP;
    DELETE FROM unit_indicator u WHERE u.level = 'national';
    INSERT INTO unit_indicator (level, bucket, unit_code, reason, project_count, budget_tnd, beneficiaries,
                                committed_tnd, paid_tnd, projects_with_progress, delayed_count, blocked_count,
                                by_theme, by_status, by_funding)
    SELECT * FROM mk_indicators_compute('national', NULL, NULL);
END $$;

-- Recompute everything derived from projects for `pids`: apportionment, funding apportionment,
-- monitoring state, then the indicator rows of every bucket they were or are in.
CREATE FUNCTION mk_project_refresh(pids bigint[]) RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    keys text[];
BEGIN
    pids := array(SELECT DISTINCT x FROM unnest(pids) AS x WHERE x IS NOT NULL);
    IF cardinality(pids) = 0 THEN
        RETURN;
    END IF;
    keys := array(SELECT DISTINCT a.level || '|' || a.bucket FROM project_apportionment a
                  JOIN unnest(pids) AS i(id) ON a.project_id = i.id);
    DELETE FROM project_apportionment a USING unnest(pids) AS i(id) WHERE a.project_id = i.id;
    DELETE FROM funding_apportionment a USING unnest(pids) AS i(id) WHERE a.project_id = i.id;
    DELETE FROM project_monitor m USING unnest(pids) AS i(id) WHERE m.project_id = i.id;
    INSERT INTO project_apportionment SELECT * FROM mk_apportion_compute(pids, NULL);
    INSERT INTO funding_apportionment SELECT * FROM mk_funding_apportion_compute(pids, NULL);
    INSERT INTO project_monitor (project_id, status, physical_pct, committed_tnd, paid_tnd, reports, last_report,
                                 execution_rate, start_delay_days, end_delay_days, delayed, blocked, blocked_cause)
    SELECT * FROM mk_project_state(pids, NULL);
    keys := keys || array(SELECT DISTINCT a.level || '|' || a.bucket FROM project_apportionment a
                          JOIN unnest(pids) AS i(id) ON a.project_id = i.id);
    PERFORM mk_indicators_refresh(keys);
END $$;

-- Everything, from scratch (after a migration, and once a day because delays depend on the date).
CREATE FUNCTION mk_planning_refresh_all() RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    DELETE FROM project_monitor;
    INSERT INTO project_monitor (project_id, status, physical_pct, committed_tnd, paid_tnd, reports, last_report,
                                 execution_rate, start_delay_days, end_delay_days, delayed, blocked, blocked_cause)
    SELECT * FROM mk_project_state(NULL, NULL);
    DELETE FROM unit_indicator;
    INSERT INTO unit_indicator (level, bucket, unit_code, reason, project_count, budget_tnd, beneficiaries,
                                committed_tnd, paid_tnd, projects_with_progress, delayed_count, blocked_count,
                                by_theme, by_status, by_funding)
    SELECT c.* FROM (SELECT DISTINCT a.level FROM project_apportionment a UNION SELECT 'national') l,
         LATERAL mk_indicators_compute(l.level, NULL, NULL) c;
END $$;

-- Called before answering from the caches: recompute them when they date from an earlier day.
CREATE FUNCTION mk_planning_fresh() RETURNS boolean
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM unit_indicator WHERE mk_local_date(computed_at) < mk_local_date(NULL))
       OR EXISTS (SELECT 1 FROM project_monitor WHERE mk_local_date(computed_at) < mk_local_date(NULL)) THEN
        PERFORM pg_advisory_xact_lock(hashtext('mokhattat-planning-refresh'));
        IF EXISTS (SELECT 1 FROM unit_indicator WHERE mk_local_date(computed_at) < mk_local_date(NULL))
           OR EXISTS (SELECT 1 FROM project_monitor WHERE mk_local_date(computed_at) < mk_local_date(NULL)) THEN
            PERFORM mk_planning_refresh_all();
            RETURN false;
        END IF;
    END IF;
    RETURN true;
END $$;

-- ================================================================ reading indicators
-- Indicators of every unit of level `lv` (NULL: all levels) valid at `t` (NULL: now, from the
-- caches), with population (latest year, or as of t the latest year not after t), facilities and
-- the rank within the governorate (by budget per inhabitant, highest first; governorates are ranked
-- nationally).
CREATE FUNCTION mk_unit_indicators(lv text, t timestamptz)
RETURNS TABLE (unit_id bigint, level text, code text, version int, name_ar text, name_fr text, name_en text,
               parent_code text, governorate_code text, population bigint, population_year int, population_source text,
               project_count int, budget_tnd numeric, budget_per_inhabitant numeric, beneficiaries bigint,
               committed_tnd numeric, paid_tnd numeric, execution_rate numeric, projects_with_progress int,
               delayed_count int, blocked_count int, rank_in_governorate int, units_in_governorate int,
               school_count int, school_per_10k numeric, school_nearest_km numeric,
               health_count int, health_per_10k numeric, health_nearest_km numeric,
               administration_count int, administration_per_10k numeric, administration_nearest_km numeric,
               post_count int, post_per_10k numeric, post_nearest_km numeric,
               police_count int, police_per_10k numeric, police_nearest_km numeric,
               settlement_method text, by_theme jsonb, by_status jsonb, by_funding jsonb, computed_at timestamptz,
               geom geometry, geom_3857 geometry)
LANGUAGE sql STABLE SET jit = off AS $$
WITH u AS MATERIALIZED (
    SELECT u.id, u.level, u.code, u.version, u.name_ar, u.name_fr, u.name_en, u.parent_code, u.geom, u.geom_3857,
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
       r.computed_at, r.geom, r.geom_3857
FROM urows r LEFT JOIN fk ON fk.unit_id = r.id
WINDOW w AS (PARTITION BY r.level, CASE WHEN r.level = 'governorate' THEN 'TN' ELSE r.gov END
             ORDER BY r.per_inhabitant DESC NULLS LAST)
$$;

-- Every line of an indicator table for level `lv` at `t`: the units (of governorate `gov` only, when
-- given), the unallocated buckets and the national total. Unallocated lines hold what no unit of the
-- level holds; units + unallocated = national, to the millime.
CREATE FUNCTION mk_indicator_lines(lv text, t timestamptz, gov text)
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
FROM mk_unit_indicators(lv, t) u
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

-- The choropleth-ready layer (current units, current figures): one row per current unit.
CREATE VIEW unit_indicators_layer AS SELECT * FROM mk_unit_indicators(NULL, NULL);

-- Project locations with their land-use verdicts: one row per location, the project's verdict
-- and the location's own; filter on verdict for the non-conforming projects.
CREATE VIEW project_conformity_layer AS
SELECT l.id AS location_id, p.id AS project_id, p.code AS project_code, p.title_fr, p.title_ar, p.title_en,
       p.project_type, p.theme, p.status, p.partner, p.is_public, l.precision, l.place_name,
       pc.verdict, lc.verdict AS location_verdict, lc.reason AS verdict_reason,
       lc.forbidden_share, lc.conditional_share, lc.allowed_share, lc.outside_share,
       lc.summary_fr, lc.summary_ar,
       array(SELECT a.unit_code FROM location_assignment a
             WHERE a.location_id = l.id AND a.valid_to IS NULL AND a.level = 'municipality' AND a.unit_code IS NOT NULL
             ORDER BY a.unit_code) AS municipality_codes,
       lc.computed_at, l.geom, l.geom_3857
FROM project_location l
JOIN project p ON p.id = l.project_id
JOIN location_conformity lc ON lc.location_id = l.id
JOIN project_conformity pc ON pc.project_id = p.id;

-- ================================================================ triggers
-- ---- project locations: reassign, overlay, refresh, in the statement that changed them
CREATE FUNCTION mk_locations_changed(ids bigint[], extra_projects bigint[]) RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    changed bigint[] := coalesce(extra_projects, '{}');
BEGIN
    IF cardinality(ids) = 0 AND cardinality(changed) = 0 THEN
        RETURN;
    END IF;
    changed := changed || mk_assign_apply(ids, mk_assign_levels());
    PERFORM mk_conformity_overlay(ids);
    PERFORM mk_project_refresh(changed);
END $$;

CREATE FUNCTION mk_trg_location_insert() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    PERFORM mk_locations_changed(array(SELECT id FROM new_rows), '{}');
    RETURN NULL;
END $$;

CREATE FUNCTION mk_trg_location_update() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    ids bigint[];
    moved bigint[];
BEGIN
    ids := array(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
                 WHERE (n.geom, n.precision, n.unit_code, n.project_id) IS DISTINCT FROM
                       (o.geom, o.precision, o.unit_code, o.project_id));
    moved := array(SELECT o.project_id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.project_id <> o.project_id);
    IF cardinality(ids) > 0 THEN
        PERFORM mk_locations_changed(ids, moved);
        IF cardinality(moved) > 0 THEN
            PERFORM mk_conformity_projects(moved);
        END IF;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION mk_trg_location_delete() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    ids bigint[] := array(SELECT id FROM old_rows);
    pids bigint[] := array(SELECT DISTINCT project_id FROM old_rows);
BEGIN
    pids := pids || mk_assign_close(ids);
    DELETE FROM location_zone z USING unnest(ids) AS i(id) WHERE z.location_id = i.id;
    DELETE FROM location_conformity c USING unnest(ids) AS i(id) WHERE c.location_id = i.id;
    PERFORM mk_conformity_projects(array(SELECT p.id FROM project p JOIN unnest(pids) AS i(id) ON i.id = p.id));
    PERFORM mk_project_refresh(pids);
    RETURN NULL;
END $$;

CREATE TRIGGER planning_location_insert AFTER INSERT ON project_location
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_location_insert();
CREATE TRIGGER planning_location_update AFTER UPDATE ON project_location
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_location_update();
CREATE TRIGGER planning_location_delete AFTER DELETE ON project_location
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_location_delete();

-- ---- projects, funding lines, progress and status events
CREATE FUNCTION mk_trg_project_insert() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    ids bigint[] := array(SELECT id FROM new_rows);
BEGIN
    PERFORM mk_project_refresh(ids);
    PERFORM mk_conformity_projects(ids);
    RETURN NULL;
END $$;

CREATE FUNCTION mk_trg_project_update() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    typed bigint[];
BEGIN
    PERFORM mk_project_refresh(array(
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE (n.budget_tnd, n.beneficiaries, n.status, n.theme, n.project_type, n.planned_start, n.planned_end,
               n.actual_start, n.actual_end, n.is_public, n.created_at)
              IS DISTINCT FROM
              (o.budget_tnd, o.beneficiaries, o.status, o.theme, o.project_type, o.planned_start, o.planned_end,
               o.actual_start, o.actual_end, o.is_public, o.created_at)));
    typed := array(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
                   WHERE n.project_type IS DISTINCT FROM o.project_type);
    IF cardinality(typed) > 0 THEN
        PERFORM mk_conformity_locations(array(SELECT l.id FROM project_location l JOIN unnest(typed) AS i(id) ON l.project_id = i.id));
        PERFORM mk_conformity_projects(typed);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION mk_trg_project_delete() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    ids bigint[] := array(SELECT id FROM old_rows);
BEGIN
    DELETE FROM project_conformity c USING unnest(ids) AS i(id) WHERE c.project_id = i.id;
    PERFORM mk_project_refresh(ids);
    RETURN NULL;
END $$;

CREATE TRIGGER planning_project_insert AFTER INSERT ON project
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_project_insert();
CREATE TRIGGER planning_project_update AFTER UPDATE ON project
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_project_update();
CREATE TRIGGER planning_project_delete AFTER DELETE ON project
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_project_delete();

CREATE FUNCTION mk_trg_funding_changed() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM mk_project_refresh(array(SELECT project_id FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM mk_project_refresh(array(SELECT project_id FROM old_rows));
    ELSE
        PERFORM mk_project_refresh(array(SELECT project_id FROM new_rows UNION SELECT project_id FROM old_rows));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER planning_funding_insert AFTER INSERT ON funding_line
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_funding_changed();
CREATE TRIGGER planning_funding_update AFTER UPDATE ON funding_line
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_funding_changed();
CREATE TRIGGER planning_funding_delete AFTER DELETE ON funding_line
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_funding_changed();

CREATE FUNCTION mk_trg_event_insert() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    PERFORM mk_project_refresh(array(
        SELECT e.project_id FROM new_rows e
        WHERE e.kind = 'progress' OR e.to_status IS NOT NULL
        AND EXISTS (SELECT 1 FROM project p WHERE p.id = e.project_id)));
    RETURN NULL;
END $$;
CREATE TRIGGER planning_event_insert AFTER INSERT ON project_event
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_event_insert();

-- ---- administrative units: pieces now, reassignment at the end of the transaction
-- A re-import closes the old versions in one statement and inserts the new ones in the next:
-- reassigning in between would first send every location "outside". So the statement triggers
-- only keep the pieces and note what changed; a deferred trigger reassigns once, at commit.
CREATE TABLE assignment_queue (
    id      bigserial PRIMARY KEY,
    level   text NOT NULL,
    gone    bigint[] NOT NULL DEFAULT '{}',   -- unit versions that stopped being current (or changed shape)
    added   bigint[] NOT NULL DEFAULT '{}',   -- unit versions that became current (or changed shape)
    codes   text[]   NOT NULL DEFAULT '{}'
);

CREATE FUNCTION mk_trg_unit_changed() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM mk_mask_stale(array(SELECT DISTINCT 'level:' || level FROM new_rows));
        PERFORM mk_pieces_add(array(SELECT id FROM new_rows WHERE valid_to IS NULL));
        INSERT INTO assignment_queue (level, added, codes)
        SELECT level, array_agg(id), array_agg(DISTINCT code) FROM new_rows WHERE valid_to IS NULL GROUP BY level;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM mk_mask_stale(array(SELECT DISTINCT 'level:' || level FROM old_rows));
        DELETE FROM admin_unit_piece p USING old_rows o WHERE p.unit_id = o.id;
        INSERT INTO assignment_queue (level, gone, codes)
        SELECT level, array_agg(id), array_agg(DISTINCT code) FROM old_rows WHERE valid_to IS NULL GROUP BY level;
    ELSE
        PERFORM mk_scratch('mk_unit_change', 'id bigint, level text, old_level text, code text, old_code text, gone boolean, added boolean');
        INSERT INTO mk_unit_change
        SELECT n.id, n.level, o.level, n.code, o.code,
               o.valid_to IS NULL AND (n.valid_to IS NOT NULL OR changed),
               n.valid_to IS NULL AND (o.valid_to IS NOT NULL OR changed)
        FROM new_rows n JOIN old_rows o ON o.id = n.id,
             LATERAL (SELECT (n.geom, n.code, n.level, n.version, n.parent_code) IS DISTINCT FROM
                             (o.geom, o.code, o.level, o.version, o.parent_code) AS changed) c;
        PERFORM mk_mask_stale(array(SELECT DISTINCT 'level:' || x FROM mk_unit_change c, unnest(ARRAY[c.level, c.old_level]) x
                                    WHERE c.gone OR c.added));
        DELETE FROM admin_unit_piece p USING mk_unit_change c WHERE p.unit_id = c.id AND c.gone;
        PERFORM mk_pieces_add(array(SELECT id FROM mk_unit_change WHERE added));
        INSERT INTO assignment_queue (level, gone, added, codes)
        SELECT x.level, coalesce(array_agg(x.id) FILTER (WHERE x.gone), '{}'), coalesce(array_agg(x.id) FILTER (WHERE x.added), '{}'),
               array_agg(DISTINCT x.code)
        FROM (SELECT c.id, c.old_level AS level, c.old_code AS code, c.gone, false AS added FROM mk_unit_change c WHERE c.gone
              UNION ALL
              SELECT c.id, c.level, c.code, false, c.added FROM mk_unit_change c WHERE c.added) x
        GROUP BY x.level;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER planning_unit_insert AFTER INSERT ON admin_unit
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_unit_changed();
CREATE TRIGGER planning_unit_update AFTER UPDATE ON admin_unit
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_unit_changed();
CREATE TRIGGER planning_unit_delete AFTER DELETE ON admin_unit
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_unit_changed();

-- Reassign what the queued unit changes touch: locations assigned to a unit version that went,
-- locations within the box of a unit version that came, locations declaring a changed code, and
-- locations without any row at the level (a level loaded for the first time).
CREATE FUNCTION mk_assignment_drain() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    lv text;
    gone_ids bigint[];
    added_ids bigint[];
    codes_ text[];
    loc_ids bigint[];
    projects bigint[] := '{}';
BEGIN
    IF NOT EXISTS (SELECT 1 FROM assignment_queue) THEN
        RETURN NULL;
    END IF;
    FOR lv IN SELECT DISTINCT level FROM assignment_queue LOOP
        gone_ids := array(SELECT DISTINCT x FROM assignment_queue q, unnest(q.gone) x WHERE q.level = lv);
        added_ids := array(SELECT DISTINCT x FROM assignment_queue q, unnest(q.added) x WHERE q.level = lv);
        codes_ := array(SELECT DISTINCT x FROM assignment_queue q, unnest(q.codes) x WHERE q.level = lv);
        loc_ids := array(
            SELECT a.location_id FROM location_assignment a
            WHERE a.valid_to IS NULL AND a.level = lv AND a.unit_id IN (SELECT unnest(gone_ids))
            UNION
            SELECT l.id FROM admin_unit_piece p JOIN project_location l ON l.geom && p.geom
            WHERE p.unit_id IN (SELECT unnest(added_ids))
            UNION
            SELECT l.id FROM project_location l WHERE l.precision = lv AND l.unit_code IN (SELECT unnest(codes_))
            UNION
            SELECT l.id FROM project_location l
            WHERE NOT EXISTS (SELECT 1 FROM location_assignment a
                              WHERE a.location_id = l.id AND a.level = lv AND a.valid_to IS NULL));
        projects := projects || mk_assign_apply(loc_ids, ARRAY[lv]);
        IF lv IN ('municipality', 'delegation') THEN
            -- the governorate of a location declared at this level follows its unit
            projects := projects || mk_assign_apply(array(
                SELECT l.id FROM project_location l WHERE l.precision = lv AND l.unit_code IN (SELECT unnest(codes_))),
                ARRAY['governorate']);
        END IF;
        PERFORM mk_facility_refresh(added_ids, true);
    END LOOP;
    DELETE FROM assignment_queue;
    PERFORM mk_project_refresh(projects);
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER planning_unit_reassign AFTER INSERT OR UPDATE OR DELETE ON admin_unit
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION mk_assignment_drain();

-- ---- land use
CREATE FUNCTION mk_trg_zone_changed() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    zone_ids bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        zone_ids := array(SELECT id FROM new_rows);
    ELSIF TG_OP = 'DELETE' THEN
        zone_ids := array(SELECT id FROM old_rows);
    ELSE
        zone_ids := array(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
                          WHERE (n.geom, n.class, n.layer_id) IS DISTINCT FROM (o.geom, o.class, o.layer_id));
    END IF;
    IF cardinality(zone_ids) > 0 THEN
        PERFORM mk_conformity_overlay(mk_landuse_sync('{}', zone_ids));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER planning_zone_insert AFTER INSERT ON landuse_zone
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_zone_changed();
CREATE TRIGGER planning_zone_update AFTER UPDATE ON landuse_zone
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_zone_changed();
CREATE TRIGGER planning_zone_delete AFTER DELETE ON landuse_zone
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_zone_changed();

CREATE FUNCTION mk_trg_layer_changed() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM mk_conformity_overlay(mk_landuse_sync(array(SELECT slug FROM old_rows), '{}'));
    ELSE
        PERFORM mk_conformity_overlay(mk_landuse_sync(array(SELECT slug FROM new_rows), '{}'));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER planning_layer_insert AFTER INSERT ON landuse_layer
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_layer_changed();
CREATE TRIGGER planning_layer_delete AFTER DELETE ON landuse_layer
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_layer_changed();

CREATE FUNCTION mk_trg_rule_changed() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    types text[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        types := array(SELECT DISTINCT project_type FROM new_rows);
    ELSIF TG_OP = 'DELETE' THEN
        types := array(SELECT DISTINCT project_type FROM old_rows);
    ELSE
        types := array(SELECT project_type FROM new_rows UNION SELECT project_type FROM old_rows);
    END IF;
    PERFORM mk_conformity_locations(array(
        SELECT l.id FROM project_location l JOIN project p ON p.id = l.project_id
        WHERE p.project_type IN (SELECT unnest(types))));
    RETURN NULL;
END $$;
CREATE TRIGGER planning_rule_insert AFTER INSERT ON conformity_rule
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_rule_changed();
CREATE TRIGGER planning_rule_update AFTER UPDATE ON conformity_rule
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_rule_changed();
CREATE TRIGGER planning_rule_delete AFTER DELETE ON conformity_rule
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_rule_changed();

-- ---- facilities: counts and distances of every unit (settlements only when town halls change)
CREATE FUNCTION mk_trg_facility_changed() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    townhalls boolean;
BEGIN
    IF TG_OP = 'INSERT' THEN
        townhalls := EXISTS (SELECT 1 FROM new_rows WHERE subtype = 'townhall');
    ELSIF TG_OP = 'DELETE' THEN
        townhalls := EXISTS (SELECT 1 FROM old_rows WHERE subtype = 'townhall');
    ELSE
        townhalls := EXISTS (SELECT 1 FROM new_rows WHERE subtype = 'townhall')
                  OR EXISTS (SELECT 1 FROM old_rows WHERE subtype = 'townhall');
    END IF;
    PERFORM mk_facility_refresh(NULL, townhalls);
    RETURN NULL;
END $$;
CREATE TRIGGER planning_facility_insert AFTER INSERT ON facility
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_facility_changed();
CREATE TRIGGER planning_facility_update AFTER UPDATE ON facility
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_facility_changed();
CREATE TRIGGER planning_facility_delete AFTER DELETE ON facility
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_trg_facility_changed();

-- ================================================================ backfill (databases loaded before this migration)
SELECT mk_pieces_add(array(SELECT id FROM admin_unit WHERE valid_to IS NULL));
SELECT mk_landuse_sync(array(SELECT DISTINCT slug FROM landuse_layer), '{}');
SELECT mk_assign_apply(array(SELECT id FROM project_location), mk_assign_levels());
-- what was assigned now held since the unit version and the project both existed
UPDATE location_assignment a SET valid_from = p.created_at
FROM project p WHERE p.id = a.project_id AND a.unit_id IS NULL AND p.created_at < a.valid_from;
UPDATE location_assignment a
SET valid_from = greatest(p.created_at, u.valid_from)
FROM project p, admin_unit u
WHERE p.id = a.project_id AND u.id = a.unit_id AND greatest(p.created_at, u.valid_from) < a.valid_from;
SELECT mk_conformity_overlay(array(SELECT id FROM project_location));
SELECT mk_conformity_projects(array(SELECT id FROM project));
SELECT mk_facility_refresh(NULL, true);
SELECT mk_project_refresh(array(SELECT id FROM project));
SELECT mk_planning_refresh_all();
