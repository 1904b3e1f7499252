-- IATI 2.03 export and import (docs/iati.md). Tables only: the mapping tables are the one place
-- each mapping is written; the activity table keeps identifiers stable once published.

-- Who reports: one row, edited with SQL (UPDATE iati_reporting_org SET ref = ...). A changed ref
-- only applies to activities not yet published: published identifiers are kept in iati_activity.
CREATE TABLE iati_reporting_org (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    ref       text NOT NULL CHECK (ref ~ '^[A-Za-z0-9._-]+$'),
    org_type  text NOT NULL DEFAULT '10',
    name_fr   text NOT NULL,
    name_ar   text NOT NULL,
    name_en   text NOT NULL
);
INSERT INTO iati_reporting_org (ref, org_type, name_fr, name_ar, name_en) VALUES
    ('TN-MOKHATTAT', '10', 'Ministère de l''Équipement et de l''Habitat — Mokhattat',
     'وزارة التجهيز والإسكان — مخطط', 'Ministry of Equipment and Housing — Mokhattat');

-- Our themes and DAC 5-digit sectors (vocabulary 1): export reads theme -> dac_code, import reads
-- dac_code -> theme.
CREATE TABLE iati_sector (
    theme    text PRIMARY KEY,
    dac_code text NOT NULL UNIQUE CHECK (dac_code ~ '^[0-9]{5}$')
);
INSERT INTO iati_sector VALUES
    ('urban_development', '43030'),
    ('governance',        '15112'),
    ('water',             '14021'),
    ('transport',         '21020'),
    ('agriculture',       '31110'),
    ('education',         '11110'),
    ('health',            '12220'),
    ('energy',            '23110'),
    ('environment',       '41010'),
    ('finance',           '24010'),
    ('industry_trade',    '32130'),
    ('digital',           '22040'),
    ('social_protection', '16010');

-- Our unit levels and the IATI administrative @level: municipalities are their own hierarchy and
-- get level 4 (3 is left for sectors, which are no location precision) so that (level, code) names exactly one of our units.
CREATE TABLE iati_admin_level (
    level      text PRIMARY KEY REFERENCES admin_level,
    iati_level int NOT NULL UNIQUE
);
INSERT INTO iati_admin_level VALUES ('governorate', 1), ('delegation', 2), ('municipality', 4);

-- The published identity of a project: stored the first time it is exported or when it is
-- imported, never changed afterwards. reporting_* hold the reporting organisation of an imported
-- activity (NULL: our own, iati_reporting_org).
CREATE TABLE iati_activity (
    project_id     bigint PRIMARY KEY REFERENCES project ON DELETE CASCADE,
    identifier     text NOT NULL UNIQUE,
    reporting_ref  text,
    reporting_type text,
    reporting_names jsonb,
    first_seen_at  timestamptz NOT NULL DEFAULT now()
);
