-- Mokhattat foundation schema: territory, population, land use, projects, facilities, API keys.
-- Geometries are stored in EPSG:4326; the Web Mercator copies that tiles need are generated columns,
-- so the database keeps them right whatever tool edits the rows.

CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Search key: one folding used by every name search, in the database so that rows edited by any tool
-- stay searchable. Strips bidi/format marks, tashkeel and tatweel, maps Persian/Maghrebi letter forms
-- and hamza/alef/teh-marbuta/alef-maqsura variants, folds Latin accents and case.
CREATE FUNCTION mk_fold(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT btrim(regexp_replace(
    translate(
      lower(regexp_replace(t, '[\u0610-\u061A\u061C\u064B-\u065F\u0670\u0640\u06D6-\u06ED\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]', '', 'g')),
      'یىئيھةۀأإآٱؤڨگکڤ' || 'àâäáãåāçćčéèêëēíìîïīñóòôöõōøúùûüūýÿœæ''’-_.,',
      'يييي' || 'هههاااا' || 'وقككف' || 'aaaaaaaccceeeeeiiiiinoooooooouuuuuyyoa      '
    ),
    '\s+', ' ', 'g'))
$$;

-- ---------------------------------------------------------------- territory
CREATE TABLE admin_level (
    level     text PRIMARY KEY,
    hierarchy text NOT NULL CHECK (hierarchy IN ('state', 'municipal')),
    depth     int  NOT NULL,
    name_fr   text NOT NULL,
    name_ar   text NOT NULL,
    name_en   text NOT NULL
);
INSERT INTO admin_level VALUES
    ('governorate',  'state',     1, 'gouvernorat', 'ولاية',   'governorate'),
    ('delegation',   'state',     2, 'délégation',  'معتمدية', 'delegation'),
    ('sector',       'state',     3, 'secteur',     'عمادة',   'sector'),
    ('municipality', 'municipal', 1, 'commune',     'بلدية',   'municipality');

-- Every version of every unit. The current version has valid_to IS NULL; a re-import of a changed
-- boundary closes the old version (valid_to) and inserts a new one, so history stays queryable.
CREATE TABLE admin_unit (
    id          bigserial PRIMARY KEY,
    level       text NOT NULL REFERENCES admin_level,
    code        text NOT NULL,
    parent_code text,
    name_ar     text,
    name_fr     text,
    name_en     text,
    search_key  text GENERATED ALWAYS AS (mk_fold(coalesce(name_ar, '') || ' ' || coalesce(name_fr, '') || ' ' || coalesce(name_en, ''))) STORED,
    attrs       jsonb NOT NULL DEFAULT '{}',
    version     int NOT NULL DEFAULT 1,
    valid_from  timestamptz NOT NULL DEFAULT now(),
    valid_to    timestamptz,
    source      text,
    geom        geometry(MultiPolygon, 4326) NOT NULL,
    geom_3857   geometry(MultiPolygon, 3857) GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED,
    area_km2    double precision GENERATED ALWAYS AS (ST_Area(geom::geography) / 1e6) STORED,
    UNIQUE (level, code, version),
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE UNIQUE INDEX admin_unit_current_code ON admin_unit (level, code) WHERE valid_to IS NULL;
CREATE INDEX admin_unit_geom ON admin_unit USING gist (geom);
CREATE INDEX admin_unit_geom_3857 ON admin_unit USING gist (geom_3857);
CREATE INDEX admin_unit_search ON admin_unit USING gin (search_key gin_trgm_ops);

CREATE VIEW admin_unit_current AS SELECT * FROM admin_unit WHERE valid_to IS NULL;

CREATE TABLE population (
    level      text NOT NULL REFERENCES admin_level,
    code       text NOT NULL,
    year       int  NOT NULL,
    population bigint NOT NULL CHECK (population >= 0),
    source     text NOT NULL,
    PRIMARY KEY (level, code, year, source)
);

-- ---------------------------------------------------------------- land use
-- The national family of zone classes that local zone codes (UA, UB, NA, EP…) map onto.
CREATE TABLE landuse_class (
    class   text PRIMARY KEY,
    family  text NOT NULL,
    name_fr text NOT NULL,
    name_ar text NOT NULL,
    name_en text NOT NULL
);
INSERT INTO landuse_class VALUES
    ('residential',          'zoning',    'Habitat',                         'سكنى',                'Residential'),
    ('mixed_centre',         'zoning',    'Centre / mixte',                  'مركز / مختلط',          'Mixed / centre'),
    ('activity',             'zoning',    'Activités',                       'أنشطة',               'Activity'),
    ('green',                'zoning',    'Espaces verts',                   'مناطق خضراء',          'Green space'),
    ('equipment',            'zoning',    'Réservé aux équipements',         'مخصص للتجهيزات',       'Reserved for equipment'),
    ('agricultural',         'zoning',    'Agricole',                        'فلاحية',              'Agricultural'),
    ('protected',            'zoning',    'Protégé / servitude',             'محمية / ارتفاق',        'Protected / easement'),
    ('special',              'zoning',    'Zone spéciale',                   'منطقة خاصة',           'Special'),
    ('urban_perimeter_2014', 'perimeter', 'Périmètre communal 2014',         'المنطقة البلدية 2014',  'Urban perimeter 2014'),
    ('extension_2016',       'perimeter', 'Extension communale 2016',        'التوسعة البلدية 2016',  'Extension 2016');

CREATE TABLE landuse_layer (
    id                bigserial PRIMARY KEY,
    slug              text NOT NULL,
    name              text NOT NULL,
    kind              text NOT NULL CHECK (kind IN ('zoning_plan', 'constraint', 'perimeter')),
    municipality_code text,
    version           int  NOT NULL DEFAULT 1,
    approved_on       date,
    source            text,
    notes             text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (slug, version)
);

CREATE TABLE landuse_zone (
    id                bigserial PRIMARY KEY,
    layer_id          bigint NOT NULL REFERENCES landuse_layer ON DELETE CASCADE,
    source_id         text NOT NULL,
    zone_code         text NOT NULL,
    class             text NOT NULL REFERENCES landuse_class,
    municipality_code text,
    label_fr          text,
    label_ar          text,
    attrs             jsonb NOT NULL DEFAULT '{}',
    geom              geometry(MultiPolygon, 4326) NOT NULL,
    geom_3857         geometry(MultiPolygon, 3857) GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED,
    UNIQUE (layer_id, source_id)
);
CREATE INDEX landuse_zone_geom ON landuse_zone USING gist (geom);
CREATE INDEX landuse_zone_geom_3857 ON landuse_zone USING gist (geom_3857);

-- ---------------------------------------------------------------- projects
CREATE TABLE project_status (
    status    text PRIMARY KEY,
    iati_code int  NOT NULL,   -- IATI ActivityStatus: 1 pipeline, 2 implementation, 3 finalisation, 4 closed, 5 cancelled, 6 suspended
    rank      int  NOT NULL,
    name_fr   text NOT NULL,
    name_ar   text NOT NULL,
    name_en   text NOT NULL
);
INSERT INTO project_status VALUES
    ('identified',     1, 1, 'Identifié',             'محدد',            'Identified'),
    ('planned',        1, 2, 'Programmé',             'مبرمج',           'Planned'),
    ('approved',       1, 3, 'Approuvé',              'مصادق عليه',      'Approved'),
    ('financed',       2, 4, 'Financé',               'ممول',            'Financed'),
    ('in_procurement', 2, 5, 'En passation',          'في طور الصفقات',  'In procurement'),
    ('works_under_way',2, 6, 'Travaux en cours',      'أشغال جارية',     'Works under way'),
    ('suspended',      6, 7, 'Suspendu',              'معلق',            'Suspended'),
    ('completed',      4, 8, 'Achevé',                'منجز',            'Completed'),
    ('cancelled',      5, 9, 'Annulé',                'ملغى',            'Cancelled');

CREATE TABLE project (
    id             bigserial PRIMARY KEY,
    code           text NOT NULL UNIQUE,
    title_fr       text,
    title_ar       text,
    title_en       text,
    description_fr text,
    description_ar text,
    description_en text,
    theme          text,
    project_type   text,
    owner          text,           -- maître d'ouvrage
    partner        text,           -- the partner organisation that owns the record (partner keys are scoped to it)
    status         text NOT NULL DEFAULT 'identified' REFERENCES project_status,
    planned_start  date,
    planned_end    date,
    actual_start   date,
    actual_end     date,
    budget_tnd     numeric(18, 3) CHECK (budget_tnd IS NULL OR budget_tnd >= 0),
    beneficiaries  bigint CHECK (beneficiaries IS NULL OR beneficiaries >= 0),
    is_public      boolean NOT NULL DEFAULT true,
    source         text,
    attrs          jsonb NOT NULL DEFAULT '{}',
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    revision       int NOT NULL DEFAULT 1
);

CREATE TABLE project_location (
    id           bigserial PRIMARY KEY,
    project_id   bigint NOT NULL REFERENCES project ON DELETE CASCADE,
    source_id    text NOT NULL,
    precision    text NOT NULL CHECK (precision IN ('exact', 'approximate', 'municipality', 'delegation', 'governorate', 'national')),
    place_name   text,
    unit_code    text,   -- the unit a unit-level location stands for (e.g. governorate code)
    geom         geometry(Geometry, 4326) NOT NULL,
    geom_3857    geometry(Geometry, 3857) GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED,
    UNIQUE (project_id, source_id)
);
CREATE INDEX project_location_geom ON project_location USING gist (geom);
CREATE INDEX project_location_geom_3857 ON project_location USING gist (geom_3857);

CREATE TABLE funding_line (
    id          bigserial PRIMARY KEY,
    project_id  bigint NOT NULL REFERENCES project ON DELETE CASCADE,
    source_kind text NOT NULL CHECK (source_kind IN ('own_resources', 'state_transfer', 'cpscl_loan', 'cpscl_grant', 'donor_loan', 'donor_grant', 'other')),
    funder      text,
    amount      numeric(18, 3) NOT NULL CHECK (amount >= 0),
    currency    text NOT NULL DEFAULT 'TND',
    amount_tnd  numeric(18, 3) NOT NULL CHECK (amount_tnd >= 0),
    note        text
);
CREATE INDEX funding_line_project ON funding_line (project_id);

-- Append-only history of a project: creation, edits, status changes, progress reports.
-- project_id carries no foreign key on purpose: the history outlives a deleted project.
CREATE TABLE project_event (
    id            bigserial PRIMARY KEY,
    project_id    bigint NOT NULL,
    project_code  text NOT NULL,
    at            timestamptz NOT NULL DEFAULT now(),
    kind          text NOT NULL CHECK (kind IN ('created', 'updated', 'status', 'progress', 'deleted', 'imported')),
    author        text NOT NULL,
    from_status   text,
    to_status     text,
    physical_pct  numeric(5, 2) CHECK (physical_pct IS NULL OR physical_pct BETWEEN 0 AND 100),
    committed_tnd numeric(18, 3),
    paid_tnd      numeric(18, 3),
    note          text,
    data          jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX project_event_project ON project_event (project_id, at);

CREATE FUNCTION mk_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'project_event is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER project_event_append_only BEFORE UPDATE OR DELETE ON project_event
    FOR EACH ROW EXECUTE FUNCTION mk_append_only();

-- ---------------------------------------------------------------- facilities
CREATE TABLE facility (
    id        bigserial PRIMARY KEY,
    source_id text NOT NULL UNIQUE,    -- e.g. osm:node/27564968
    kind      text NOT NULL CHECK (kind IN ('school', 'health', 'administration', 'post', 'police', 'other')),
    subtype   text,
    name      text,
    name_ar   text,
    name_fr   text,
    source    text,
    attrs     jsonb NOT NULL DEFAULT '{}',
    geom      geometry(Point, 4326) NOT NULL,
    geom_3857 geometry(Point, 3857) GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED
);
CREATE INDEX facility_geom ON facility USING gist (geom);
CREATE INDEX facility_geom_3857 ON facility USING gist (geom_3857);

-- ---------------------------------------------------------------- API keys
CREATE TABLE api_key (
    id             bigserial PRIMARY KEY,
    prefix         text NOT NULL UNIQUE,         -- public part, shown in listings
    secret_sha256  text NOT NULL,                -- hex SHA-256 of the whole key; the key itself is never stored
    name           text NOT NULL,
    role           text NOT NULL CHECK (role IN ('admin', 'planner', 'partner')),
    municipalities text[] NOT NULL DEFAULT '{}', -- planner scope (official municipality codes)
    partner        text,                         -- partner scope (project.partner)
    created_at     timestamptz NOT NULL DEFAULT now(),
    revoked_at     timestamptz,
    last_used_at   timestamptz,
    CHECK (role <> 'partner' OR partner IS NOT NULL)
);

-- ---------------------------------------------------------------- imports
CREATE TABLE import_run (
    id         bigserial PRIMARY KEY,
    target     text NOT NULL,
    path       text NOT NULL,
    layer      text,
    started_at timestamptz NOT NULL DEFAULT now(),
    read       int NOT NULL,
    inserted   int NOT NULL,
    updated    int NOT NULL,
    unchanged  int NOT NULL,
    repaired   int NOT NULL,
    rejected   int NOT NULL,
    report     jsonb NOT NULL DEFAULT '[]'
);
