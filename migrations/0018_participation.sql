-- Participatory planning (issue 11, docs/participation.md): participation zones, citizens'
-- proposals with their private author table, supports, comments, reports and the moderation log,
-- plans with stages and PAI lines, meetings. Tables, indexes and vocabularies only; the functions
-- and triggers live in db/functions/participation/.

-- ---------------------------------------------------------------- per-commune settings
CREATE TABLE participation_setting (
    municipality_code text PRIMARY KEY,
    mode              text NOT NULL DEFAULT 'publish_first' CHECK (mode IN ('publish_first', 'moderate_first')),
    report_threshold  int  NOT NULL DEFAULT 3 CHECK (report_threshold BETWEEN 1 AND 1000),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    updated_by        text NOT NULL DEFAULT 'default'
);

-- ---------------------------------------------------------------- zones
CREATE TABLE participation_zone (
    id                bigserial PRIMARY KEY,
    municipality_code text NOT NULL,
    code              text NOT NULL,
    name_ar           text,
    name_fr           text,
    population        bigint CHECK (population IS NULL OR population >= 0),
    source            text,
    attrs             jsonb NOT NULL DEFAULT '{}',
    geom              geometry(MultiPolygon, 4326) NOT NULL,
    geom_3857         geometry(MultiPolygon, 3857) GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED,
    UNIQUE (municipality_code, code)
);
CREATE INDEX participation_zone_geom ON participation_zone USING gist (geom);

-- ---------------------------------------------------------------- vocabularies
-- project_type: the conformity_rule type a proposal of this theme is checked against.
CREATE TABLE proposal_theme (
    theme        text PRIMARY KEY,
    project_type text NOT NULL,
    name_fr      text NOT NULL,
    name_ar      text NOT NULL
);
INSERT INTO proposal_theme VALUES
    ('roads',            'road',     'Voirie',                    'الطرقات'),
    ('lighting',         'network',  'Éclairage public',          'التنوير العمومي'),
    ('water_sanitation', 'network',  'Eau et assainissement',     'الماء والتطهير'),
    ('waste',            'facility', 'Déchets et propreté',       'النفايات والنظافة'),
    ('green_spaces',     'facility', 'Espaces verts',             'المساحات الخضراء'),
    ('sports_culture',   'building', 'Sport et culture',          'الرياضة والثقافة'),
    ('education',        'building', 'Éducation',                 'التعليم'),
    ('health',           'building', 'Santé',                     'الصحة'),
    ('markets_economy',  'building', 'Marchés et économie',       'الأسواق والاقتصاد'),
    ('mobility',         'road',     'Transport et mobilité',     'النقل والتنقل'),
    ('other',            'facility', 'Autre',                     'أخرى');

CREATE TABLE proposal_state (
    state   text PRIMARY KEY,
    name_fr text NOT NULL,
    name_ar text NOT NULL
);
INSERT INTO proposal_state VALUES
    ('published',  'Publiée',        'منشور'),
    ('evaluating', 'En évaluation',  'قيد الدراسة'),
    ('accepted',   'Acceptée',       'مقبول'),
    ('rejected',   'Rejetée',        'مرفوض'),
    ('withdrawn',  'Retirée',        'مسحوب'),
    ('merged',     'Fusionnée',      'مدمج');

-- The one table of legal moves: who (moderator or author) may take a proposal from a state to
-- another. mk_proposal_transition refuses anything else with 409.
CREATE TABLE proposal_transition (
    from_state text NOT NULL REFERENCES proposal_state,
    to_state   text NOT NULL REFERENCES proposal_state,
    actor      text NOT NULL CHECK (actor IN ('moderator', 'author')),
    PRIMARY KEY (from_state, to_state, actor)
);
INSERT INTO proposal_transition VALUES
    ('published',  'evaluating', 'moderator'),
    ('published',  'accepted',   'moderator'),
    ('published',  'rejected',   'moderator'),
    ('published',  'merged',     'moderator'),
    ('evaluating', 'accepted',   'moderator'),
    ('evaluating', 'rejected',   'moderator'),
    ('evaluating', 'merged',     'moderator'),
    ('published',  'withdrawn',  'author'),
    ('evaluating', 'withdrawn',  'author');

-- ---------------------------------------------------------------- proposals
CREATE TABLE proposal (
    id                  bigserial PRIMARY KEY,
    theme               text NOT NULL REFERENCES proposal_theme,
    lang                text NOT NULL CHECK (lang IN ('ar', 'fr')),
    title               text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    body                text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
    address             text CHECK (length(address) <= 500),
    geom                geometry(Geometry, 4326) NOT NULL
                        CHECK (GeometryType(geom) IN ('POINT', 'POLYGON', 'MULTIPOLYGON') AND ST_IsValid(geom)),
    geom_3857           geometry(Geometry, 3857) GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED,
    -- automatic tags (mk_proposal_tag, on insert and when the geometry or theme changes)
    municipality_code   text,
    delegation_code     text,
    zone_id             bigint REFERENCES participation_zone ON DELETE SET NULL,
    landuse_class       text,
    conformity_hint     text,
    -- state (public) and the answer; a draft waits in draft_* until published
    state               text NOT NULL DEFAULT 'published' REFERENCES proposal_state,
    answer              text,
    answered_at         timestamptz,
    draft_state         text REFERENCES proposal_state,
    draft_answer        text,
    merged_into         bigint REFERENCES proposal,
    project_id          bigint REFERENCES project ON DELETE SET NULL,
    -- moderation
    hidden              boolean NOT NULL DEFAULT false,
    awaiting_moderation boolean NOT NULL DEFAULT false,
    edit_token_sha256   text NOT NULL,
    participant_sha256  text,
    published_at        timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    withdrawn_at        timestamptz,
    CHECK (merged_into IS NULL OR merged_into <> id)
);
CREATE INDEX proposal_geom ON proposal USING gist (geom);
CREATE INDEX proposal_geography ON proposal USING gist ((geom::geography));
CREATE INDEX proposal_municipality ON proposal (municipality_code, state);
CREATE INDEX proposal_project ON proposal (project_id) WHERE project_id IS NOT NULL;

-- The author's name and contact: never read by a public path (only the proposal_public view and
-- the export functions are; neither touches this table).
CREATE TABLE proposal_author (
    proposal_id bigint PRIMARY KEY REFERENCES proposal ON DELETE CASCADE,
    name        text CHECK (length(name) <= 500),
    contact     text CHECK (length(contact) <= 500)
);

-- ---------------------------------------------------------------- meetings (before supports: codes)
CREATE TABLE meeting (
    id                bigserial PRIMARY KEY,
    municipality_code text NOT NULL,
    zone_id           bigint REFERENCES participation_zone ON DELETE SET NULL,
    held_at           timestamptz NOT NULL,
    place_name        text CHECK (length(place_name) <= 500),
    geom              geometry(Point, 4326),
    agenda            text CHECK (length(agenda) <= 10000),
    minutes           text CHECK (length(minutes) <= 10000),
    created_by        text NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX meeting_municipality ON meeting (municipality_code, held_at);

CREATE TABLE meeting_attendance (
    meeting_id bigint NOT NULL REFERENCES meeting ON DELETE CASCADE,
    sex        text NOT NULL CHECK (sex IN ('female', 'male')),
    age_band   text NOT NULL CHECK (age_band IN ('under_18', '18_35', '36_60', 'over_60')),
    count      int  NOT NULL CHECK (count >= 0),
    PRIMARY KEY (meeting_id, sex, age_band)
);

CREATE TABLE meeting_priority (
    meeting_id  bigint NOT NULL REFERENCES meeting ON DELETE CASCADE,
    rank        int    NOT NULL CHECK (rank >= 1),
    label       text   NOT NULL CHECK (length(label) BETWEEN 1 AND 500),
    proposal_id bigint REFERENCES proposal ON DELETE SET NULL,
    votes       int CHECK (votes IS NULL OR votes >= 0),
    PRIMARY KEY (meeting_id, rank)
);

-- Delegates: a name is public only when the delegate consented (consent_public).
CREATE TABLE meeting_delegate (
    id             bigserial PRIMARY KEY,
    meeting_id     bigint NOT NULL REFERENCES meeting ON DELETE CASCADE,
    name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 500),
    sex            text CHECK (sex IN ('female', 'male')),
    consent_public boolean NOT NULL DEFAULT false
);

-- Participant codes handed out at a meeting (stored hashed); the first participant to use one owns it.
CREATE TABLE meeting_code (
    code_sha256        text PRIMARY KEY,
    meeting_id         bigint NOT NULL REFERENCES meeting ON DELETE CASCADE,
    participant_sha256 text,
    used_at            timestamptz
);

-- ---------------------------------------------------------------- supports, comments, reports
CREATE TABLE proposal_support (
    proposal_id        bigint NOT NULL REFERENCES proposal ON DELETE CASCADE,
    participant_sha256 text   NOT NULL,
    verified           boolean NOT NULL DEFAULT false,
    meeting_id         bigint REFERENCES meeting ON DELETE SET NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (proposal_id, participant_sha256)
);

CREATE TABLE proposal_comment (
    id                 bigserial PRIMARY KEY,
    proposal_id        bigint NOT NULL REFERENCES proposal ON DELETE CASCADE,
    parent_id          bigint REFERENCES proposal_comment ON DELETE CASCADE,
    body               text NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
    participant_sha256 text NOT NULL,
    hidden             boolean NOT NULL DEFAULT false,
    created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX proposal_comment_proposal ON proposal_comment (proposal_id, id);

CREATE TABLE proposal_report (
    proposal_id        bigint NOT NULL REFERENCES proposal ON DELETE CASCADE,
    participant_sha256 text   NOT NULL,
    reason             text   NOT NULL CHECK (reason IN ('spam', 'offensive', 'off_topic')),
    created_at         timestamptz NOT NULL DEFAULT now(),
    cleared_at         timestamptz,
    PRIMARY KEY (proposal_id, participant_sha256)
);

-- Every moderation act, automatic or by a moderator: append-only.
CREATE TABLE moderation_log (
    id                bigserial PRIMARY KEY,
    proposal_id       bigint NOT NULL,
    municipality_code text,
    action            text NOT NULL CHECK (action IN ('auto_hide', 'hide', 'unhide', 'clear', 'approve', 'answer', 'publish_answer', 'transition', 'link_project', 'settings')),
    actor             text NOT NULL,
    reason            text,
    data              jsonb NOT NULL DEFAULT '{}',
    at                timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX moderation_log_municipality ON moderation_log (municipality_code, at);

-- ---------------------------------------------------------------- plans
CREATE TABLE plan_status_transition (
    from_status text NOT NULL,
    to_status   text NOT NULL,
    PRIMARY KEY (from_status, to_status),
    CHECK (from_status IN ('draft', 'consultation', 'adopted', 'implementation', 'closed')),
    CHECK (to_status IN ('draft', 'consultation', 'adopted', 'implementation', 'closed'))
);
INSERT INTO plan_status_transition VALUES
    ('draft', 'consultation'), ('consultation', 'draft'), ('consultation', 'adopted'),
    ('adopted', 'implementation'), ('implementation', 'closed');

CREATE TABLE plan (
    id                bigserial PRIMARY KEY,
    municipality_code text NOT NULL,
    kind              text NOT NULL CHECK (kind IN ('PDL', 'PIC', 'PAI')),
    title             text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    period_start      int  NOT NULL CHECK (period_start BETWEEN 2000 AND 2100),
    period_end        int  NOT NULL CHECK (period_end BETWEEN 2000 AND 2100),
    status            text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'consultation', 'adopted', 'implementation', 'closed')),
    adopted_on        date,
    deliberation_ref  text CHECK (length(deliberation_ref) <= 100),
    envelope_tnd      numeric(18, 3) CHECK (envelope_tnd IS NULL OR envelope_tnd >= 0),
    version           int  NOT NULL DEFAULT 1,
    previous_id       bigint REFERENCES plan,
    created_by        text NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CHECK (period_end >= period_start),
    CHECK (status NOT IN ('adopted', 'implementation', 'closed') OR adopted_on IS NOT NULL)
);
CREATE INDEX plan_municipality ON plan (municipality_code);

CREATE TABLE plan_stage (
    plan_id   bigint NOT NULL REFERENCES plan ON DELETE CASCADE,
    stage     text   NOT NULL CHECK (stage IN ('diagnosis', 'planning', 'implementation', 'monitoring')),
    starts_on date,
    ends_on   date,
    outputs   jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(outputs) = 'array'),
    PRIMARY KEY (plan_id, stage),
    CHECK (ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on)
);

CREATE TABLE plan_line (
    id         bigserial PRIMARY KEY,
    plan_id    bigint NOT NULL REFERENCES plan ON DELETE CASCADE,
    project_id bigint NOT NULL REFERENCES project ON DELETE CASCADE,
    year       int    NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    amount_tnd numeric(18, 3) NOT NULL CHECK (amount_tnd >= 0),
    zone_id    bigint REFERENCES participation_zone ON DELETE SET NULL,
    UNIQUE (plan_id, project_id, year)
);
