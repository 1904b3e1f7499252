-- Planning intelligence, part 1: automatic assignment of project locations to administrative units.
--
-- Every project location gets, for every level that has current units (governorate, delegation,
-- municipality; sector once sector geometries are loaded), the units it falls in with its share of
-- the location (1 for a point, length share for a line, area share for a polygon, on the sphere),
-- the unit version used and how it was decided. Rows are never rewritten: a changed answer closes
-- the previous row (valid_to) and inserts a new one, so `location_assignment` is also the history.
-- The database keeps it up to date by itself (triggers in 0005): a changed location is reassigned
-- in the same statement, a re-imported boundary layer at the end of its transaction.
--
-- Decisions (also in docs/planning.md):
-- * A point on the boundary shared by several units goes to the one with the lowest code (method
--   point_on_boundary), so the answer is the same every time.
-- * The part of a location outside every unit (offshore, abroad) is a row with no unit and method
--   `outside`; shares of a location at a level always sum to 1 (overlaps in the boundary data are
--   normalised away).
-- * Precision: exact → by geometry; approximate → by geometry, flagged `approximate`;
--   municipality/delegation/governorate-level → the declared unit (`unit_code`, current version)
--   at its own level, by geometry when the code is unknown (flag `unit_code_not_found`); the
--   governorate of a declared municipality or delegation is its parent (`parent_code`), or the
--   governorate containing its point on surface; every other level gets a row with no unit and
--   method `coarser_precision` (a municipality-level project is not split over delegations);
--   national → one row per level with no unit and method `national`.

-- ---------------------------------------------------------------- pieces of current units
-- Current unit geometries cut into pieces of at most 64 vertices: point-in-polygon and
-- intersections then touch a few small polygons instead of a 16,000-vertex governorate.
CREATE TABLE admin_unit_piece (
    unit_id      bigint NOT NULL,
    level        text   NOT NULL,
    code         text   NOT NULL,
    unit_version int    NOT NULL,
    geom         geometry(Geometry, 4326) NOT NULL
);
CREATE INDEX admin_unit_piece_geom ON admin_unit_piece USING gist (geom);
CREATE INDEX admin_unit_piece_unit ON admin_unit_piece (unit_id);

CREATE FUNCTION mk_pieces_add(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO admin_unit_piece (unit_id, level, code, unit_version, geom)
    SELECT u.id, u.level, u.code, u.version, ST_Subdivide(u.geom, 64)
    FROM admin_unit u
    WHERE u.id = ANY (ids) AND u.valid_to IS NULL
$$;

-- ---------------------------------------------------------------- assignments (current + history)
CREATE TABLE location_assignment (
    id             bigserial PRIMARY KEY,
    location_id    bigint NOT NULL,           -- no foreign key: the history outlives the location
    project_id     bigint NOT NULL,
    level          text   NOT NULL REFERENCES admin_level,
    unit_id        bigint,                    -- admin_unit version used; NULL: no unit (see method)
    unit_code      text,
    unit_version   int,
    share          double precision NOT NULL CHECK (share > 0 AND share <= 1.000001),
    method         text NOT NULL CHECK (method IN (
                       'point_in_unit', 'point_on_boundary', 'length_share', 'area_share',
                       'declared_unit', 'via_declared_unit',
                       'outside', 'national', 'coarser_precision')),
    precision      text NOT NULL,
    precision_flag text CHECK (precision_flag IN ('approximate', 'unit_code_not_found', 'degenerate_geometry')),
    valid_from     timestamptz NOT NULL DEFAULT now(),
    valid_to       timestamptz,
    CHECK (valid_to IS NULL OR valid_to > valid_from),
    CHECK ((unit_id IS NULL) = (method IN ('outside', 'national', 'coarser_precision')))
);
CREATE INDEX location_assignment_current ON location_assignment (location_id, level) WHERE valid_to IS NULL;
CREATE INDEX location_assignment_unit ON location_assignment (unit_id) WHERE valid_to IS NULL;
CREATE INDEX location_assignment_project ON location_assignment (project_id) WHERE valid_to IS NULL;
CREATE INDEX location_assignment_history ON location_assignment (location_id, valid_from);
CREATE INDEX location_assignment_period ON location_assignment (project_id, valid_from);

-- Levels that have current units (a level without geometries gets no rows).
CREATE FUNCTION mk_assign_levels() RETURNS text[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(al.level ORDER BY al.hierarchy DESC, al.depth), '{}')
    FROM admin_level al
    WHERE EXISTS (SELECT 1 FROM admin_unit u WHERE u.level = al.level AND u.valid_to IS NULL)
$$;

-- The assignment of locations `ids` at level `lv`, computed from the current units.
CREATE FUNCTION mk_assign_compute(ids bigint[], lv text)
RETURNS TABLE (location_id bigint, project_id bigint, unit_id bigint, unit_code text, unit_version int,
               share double precision, method text, loc_precision text, precision_flag text)
LANGUAGE sql STABLE AS $$
WITH loc AS MATERIALIZED (
    SELECT l.id, l.project_id, l.precision, l.unit_code, l.geom,
           CASE WHEN l.precision IN ('exact', 'approximate') THEN 'geometry'
                WHEN l.precision = 'national' THEN 'national'
                WHEN l.precision = lv THEN 'declared'
                WHEN lv = 'governorate' AND l.precision IN ('municipality', 'delegation') THEN 'via'
                ELSE 'coarser' END AS mode
    FROM project_location l
    JOIN unnest(ids) AS i(id) ON i.id = l.id
),
declared AS (
    SELECT loc.id, u.id AS unit_id, u.code, u.version
    FROM loc JOIN admin_unit u ON u.level = lv AND u.code = loc.unit_code AND u.valid_to IS NULL
    WHERE loc.mode = 'declared'
),
via AS (
    SELECT loc.id, coalesce(gp.id, gs.unit_id) AS unit_id, coalesce(gp.code, gs.code) AS code,
           coalesce(gp.version, gs.unit_version) AS version
    FROM loc
    JOIN admin_unit d ON d.level = loc.precision AND d.code = loc.unit_code AND d.valid_to IS NULL
    LEFT JOIN admin_unit gp ON gp.level = 'governorate' AND gp.code = d.parent_code AND gp.valid_to IS NULL
    LEFT JOIN LATERAL (
        SELECT p.unit_id, p.code, p.unit_version FROM admin_unit_piece p
        WHERE gp.id IS NULL AND p.level = 'governorate' AND ST_Intersects(p.geom, ST_PointOnSurface(d.geom))
        ORDER BY p.code COLLATE "C" LIMIT 1
    ) gs ON true
    WHERE loc.mode = 'via' AND coalesce(gp.id, gs.unit_id) IS NOT NULL
),
geo AS MATERIALIZED (
    SELECT loc.id, loc.geom, ST_Dimension(loc.geom) AS dim,
           CASE WHEN loc.mode = 'geometry' THEN NULL ELSE 'unit_code_not_found' END AS fallback
    FROM loc
    WHERE loc.mode = 'geometry'
       OR (loc.mode = 'declared' AND NOT EXISTS (SELECT 1 FROM declared d WHERE d.id = loc.id))
       OR (loc.mode = 'via' AND NOT EXISTS (SELECT 1 FROM via v WHERE v.id = loc.id))
),
-- extents on the sphere; a line or polygon without length/area is treated as its points
sized AS MATERIALIZED (
    SELECT g.id, g.fallback, g.dim, g.geom,
           CASE g.dim WHEN 1 THEN ST_Length(g.geom::geography, false)
                      WHEN 2 THEN ST_Area(g.geom::geography, false) END AS total
    FROM geo g
),
pts AS (
    SELECT s.id, d.path, d.geom,
           1.0 / count(*) OVER (PARTITION BY s.id) AS w,
           (s.dim > 0) AS degenerate
    FROM sized s, ST_Dump(CASE WHEN s.dim = 0 THEN s.geom ELSE ST_PointOnSurface(s.geom) END) d
    WHERE s.dim = 0 OR NOT (s.total > 0)
),
pt_units AS (
    SELECT DISTINCT pts.id, pts.path, p.unit_id, p.code, p.unit_version
    FROM pts JOIN admin_unit_piece p ON p.level = lv AND ST_Intersects(p.geom, pts.geom)
),
pt_pick AS (
    SELECT DISTINCT ON (u.id, u.path) u.id, u.path, u.unit_id, u.code, u.unit_version,
           count(*) OVER (PARTITION BY u.id, u.path) AS candidates
    FROM pt_units u
    ORDER BY u.id, u.path, u.code COLLATE "C"
),
pt_rows AS (
    SELECT pts.id, k.unit_id, k.code, k.unit_version, sum(pts.w) AS share,
           CASE WHEN k.unit_id IS NULL THEN 'outside'
                WHEN bool_or(k.candidates > 1) THEN 'point_on_boundary'
                ELSE 'point_in_unit' END AS method,
           bool_or(pts.degenerate) AS degenerate
    FROM pts LEFT JOIN pt_pick k ON k.id = pts.id AND k.path = pts.path
    GROUP BY pts.id, k.unit_id, k.code, k.unit_version
),
ext_parts AS (
    SELECT s.id, p.unit_id, p.code, p.unit_version,
           sum(CASE WHEN ST_CoveredBy(s.geom, p.geom) THEN s.total
                    WHEN s.dim = 1 THEN ST_Length(ST_Intersection(p.geom, s.geom)::geography, false)
                    ELSE ST_Area(ST_Intersection(p.geom, s.geom)::geography, false) END) / s.total AS share
    FROM sized s JOIN admin_unit_piece p ON p.level = lv AND ST_Intersects(p.geom, s.geom)
    WHERE s.dim > 0 AND s.total > 0
    GROUP BY s.id, s.total, p.unit_id, p.code, p.unit_version
),
ext_sum AS (
    SELECT s.id, coalesce(sum(e.share), 0) AS covered
    FROM sized s LEFT JOIN ext_parts e ON e.id = s.id
    WHERE s.dim > 0 AND s.total > 0
    GROUP BY s.id
),
ext_rows AS (
    SELECT e.id, e.unit_id, e.code, e.unit_version, e.share / greatest(t.covered, 1.0) AS share,
           CASE s.dim WHEN 1 THEN 'length_share' ELSE 'area_share' END AS method
    FROM ext_parts e JOIN ext_sum t ON t.id = e.id JOIN sized s ON s.id = e.id
    WHERE e.share > 0
    UNION ALL
    SELECT t.id, NULL, NULL, NULL, 1.0 - t.covered, 'outside'
    FROM ext_sum t WHERE t.covered < 1.0 - 1e-9
),
out_rows AS (
    SELECT d.id, d.unit_id, d.code, d.version, 1.0::double precision AS share, 'declared_unit' AS method, NULL::text AS flag
    FROM declared d
    UNION ALL
    SELECT v.id, v.unit_id, v.code, v.version, 1.0, 'via_declared_unit', NULL FROM via v
    UNION ALL
    SELECT loc.id, NULL, NULL, NULL, 1.0, CASE loc.mode WHEN 'national' THEN 'national' ELSE 'coarser_precision' END, NULL
    FROM loc WHERE loc.mode IN ('national', 'coarser')
    UNION ALL
    SELECT r.id, r.unit_id, r.code, r.unit_version, r.share, r.method,
           coalesce(s.fallback, CASE WHEN r.degenerate THEN 'degenerate_geometry' END)
    FROM pt_rows r JOIN sized s ON s.id = r.id
    UNION ALL
    SELECT r.id, r.unit_id, r.code, r.unit_version, r.share, r.method, s.fallback
    FROM ext_rows r JOIN sized s ON s.id = r.id
)
SELECT r.id, loc.project_id, r.unit_id, r.code, r.version, least(r.share, 1.0), r.method, loc.precision,
       coalesce(r.flag, CASE WHEN loc.precision = 'approximate' THEN 'approximate' END)
FROM out_rows r JOIN loc ON loc.id = r.id
WHERE r.share > 1e-12
$$;

-- Bring the current assignments of `ids` at level `lv` in line with what is computed now: rows that
-- still hold stay, rows that no longer hold are closed (deleted when they were written in this same
-- transaction: nobody ever saw them), new rows are inserted. Returns the projects whose rows changed.
CREATE FUNCTION mk_assign_apply(ids bigint[], lv text) RETURNS bigint[]
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    changed bigint[];
BEGIN
    WITH fresh AS MATERIALIZED (
        SELECT * FROM mk_assign_compute(ids, lv)
    ), cur AS MATERIALIZED (
        SELECT a.id, a.location_id, a.project_id, a.unit_id, a.share, a.method, a.precision_flag, a.valid_from
        FROM location_assignment a JOIN unnest(ids) AS i(id) ON a.location_id = i.id
        WHERE a.valid_to IS NULL AND a.level = lv
    ), stale AS (
        SELECT c.* FROM cur c
        WHERE NOT EXISTS (SELECT 1 FROM fresh n
                          WHERE n.location_id = c.location_id AND n.project_id = c.project_id
                            AND n.unit_id IS NOT DISTINCT FROM c.unit_id AND n.method = c.method
                            AND n.precision_flag IS NOT DISTINCT FROM c.precision_flag
                            AND abs(n.share - c.share) < 1e-9)
    ), closed AS (
        UPDATE location_assignment a SET valid_to = now()
        FROM stale s WHERE a.id = s.id AND s.valid_from < now()
        RETURNING a.project_id
    ), dropped AS (
        DELETE FROM location_assignment a
        USING stale s WHERE a.id = s.id AND s.valid_from >= now()
        RETURNING a.project_id
    ), added AS (
        INSERT INTO location_assignment (location_id, project_id, level, unit_id, unit_code, unit_version, share,
                                         method, precision, precision_flag)
        SELECT n.location_id, n.project_id, lv, n.unit_id, n.unit_code, n.unit_version, n.share, n.method,
               n.loc_precision, n.precision_flag
        FROM fresh n
        WHERE NOT EXISTS (SELECT 1 FROM cur c
                          WHERE n.location_id = c.location_id AND n.project_id = c.project_id
                            AND n.unit_id IS NOT DISTINCT FROM c.unit_id AND n.method = c.method
                            AND n.precision_flag IS NOT DISTINCT FROM c.precision_flag
                            AND abs(n.share - c.share) < 1e-9)
        RETURNING project_id
    )
    SELECT array_agg(DISTINCT p) INTO changed
    FROM (SELECT project_id FROM closed UNION ALL SELECT project_id FROM dropped
          UNION ALL SELECT project_id FROM added) t(p);
    RETURN coalesce(changed, '{}');
END $$;

-- Close every current assignment of locations that are gone. Returns the projects concerned.
CREATE FUNCTION mk_assign_close(ids bigint[]) RETURNS bigint[]
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    changed bigint[];
BEGIN
    WITH cur AS MATERIALIZED (
        SELECT a.id, a.project_id, a.valid_from
        FROM location_assignment a JOIN unnest(ids) AS i(id) ON a.location_id = i.id
        WHERE a.valid_to IS NULL
    ), closed AS (
        UPDATE location_assignment a SET valid_to = now()
        FROM cur c WHERE a.id = c.id AND c.valid_from < now()
        RETURNING a.project_id
    ), dropped AS (
        DELETE FROM location_assignment a USING cur c WHERE a.id = c.id AND c.valid_from >= now()
        RETURNING a.project_id
    )
    SELECT array_agg(DISTINCT p) INTO changed
    FROM (SELECT project_id FROM closed UNION ALL SELECT project_id FROM dropped) t(p);
    RETURN coalesce(changed, '{}');
END $$;

-- Assignments valid at `t` (NULL: the current ones), for reading.
CREATE FUNCTION mk_assignments_at(t timestamptz)
RETURNS SETOF location_assignment
LANGUAGE sql STABLE AS $$
    SELECT * FROM location_assignment a
    WHERE (t IS NULL AND a.valid_to IS NULL)
       OR (t IS NOT NULL AND a.valid_from <= t AND (a.valid_to IS NULL OR a.valid_to > t))
$$;

-- ---------------------------------------------------------------- monitoring
-- Lifecycle transitions allowed by the status endpoint (anything else is refused with 409).
CREATE TABLE project_status_transition (
    from_status text NOT NULL REFERENCES project_status,
    to_status   text NOT NULL REFERENCES project_status,
    note        text,
    PRIMARY KEY (from_status, to_status),
    CHECK (from_status <> to_status)
);
INSERT INTO project_status_transition (from_status, to_status, note) VALUES
    ('identified',      'planned',         'entered in the investment plan'),
    ('identified',      'cancelled',       NULL),
    ('planned',         'approved',        'approved by the council'),
    ('planned',         'identified',      'taken out of the plan'),
    ('planned',         'cancelled',       NULL),
    ('approved',        'financed',        'funding secured'),
    ('approved',        'planned',         'approval withdrawn'),
    ('approved',        'cancelled',       NULL),
    ('financed',        'in_procurement',  'tender launched'),
    ('financed',        'suspended',       NULL),
    ('financed',        'cancelled',       NULL),
    ('in_procurement',  'works_under_way', 'contract signed, works started'),
    ('in_procurement',  'financed',        'tender unsuccessful, to be relaunched'),
    ('in_procurement',  'suspended',       NULL),
    ('in_procurement',  'cancelled',       NULL),
    ('works_under_way', 'completed',       'works received'),
    ('works_under_way', 'suspended',       NULL),
    ('works_under_way', 'cancelled',       NULL),
    ('suspended',       'works_under_way', 'resumed'),
    ('suspended',       'in_procurement',  'resumed at procurement'),
    ('suspended',       'financed',        'resumed before procurement'),
    ('suspended',       'cancelled',       NULL);

CREATE INDEX project_event_progress ON project_event (project_id, at) WHERE kind = 'progress';

-- Local calendar date of an instant (Tunisia, UTC+1 all year).
CREATE FUNCTION mk_local_date(t timestamptz) RETURNS date
LANGUAGE sql STABLE AS $$ SELECT (coalesce(t, now()) AT TIME ZONE 'Africa/Tunis')::date $$;

-- The progress reports known for each project at `t` (NULL: now), by report date: latest figures
-- (each the latest non-empty one), report count, and the blocked flag a report can raise.
CREATE FUNCTION mk_project_progress(pids bigint[], t timestamptz)
RETURNS TABLE (project_id bigint, reports int, last_report date, physical_pct numeric, committed_tnd numeric,
               paid_tnd numeric, report_blocked boolean, report_blocked_cause text, stalled_since date)
LANGUAGE sql STABLE AS $$
WITH r AS (
    SELECT e.project_id, e.id, e.physical_pct, e.committed_tnd, e.paid_tnd, e.data,
           coalesce((e.data->>'report_date')::date, mk_local_date(e.at)) AS rd
    FROM project_event e
    WHERE e.kind = 'progress' AND (pids IS NULL OR e.project_id IN (SELECT unnest(pids)))
      AND (t IS NULL OR e.at <= t)
), k AS (
    SELECT r.* FROM r WHERE t IS NULL OR r.rd <= mk_local_date(t)
), agg AS (
    SELECT k.project_id, count(*)::int AS reports, max(k.rd) AS last_report,
           (array_agg(k.physical_pct ORDER BY k.rd DESC, k.id DESC) FILTER (WHERE k.physical_pct IS NOT NULL))[1] AS physical_pct,
           (array_agg(k.committed_tnd ORDER BY k.rd DESC, k.id DESC) FILTER (WHERE k.committed_tnd IS NOT NULL))[1] AS committed_tnd,
           (array_agg(k.paid_tnd ORDER BY k.rd DESC, k.id DESC) FILTER (WHERE k.paid_tnd IS NOT NULL))[1] AS paid_tnd,
           (array_agg(k.data ORDER BY k.rd DESC, k.id DESC))[1] AS last_data,
           (array_agg(k.physical_pct ORDER BY k.rd DESC, k.id DESC) FILTER (WHERE k.physical_pct IS NOT NULL))[1:2] AS last_two_pct,
           (array_agg(k.rd ORDER BY k.rd DESC, k.id DESC) FILTER (WHERE k.physical_pct IS NOT NULL)) AS pct_dates
    FROM k GROUP BY k.project_id
)
SELECT a.project_id, a.reports, a.last_report, a.physical_pct, a.committed_tnd, a.paid_tnd,
       coalesce((a.last_data->>'blocked')::boolean, false),
       a.last_data->>'blocked_cause',
       -- no physical progress over the last two reports, 180 days or more apart
       CASE WHEN cardinality(a.last_two_pct) = 2 AND a.last_two_pct[1] <= a.last_two_pct[2]
                 AND a.pct_dates[1] - a.pct_dates[2] >= 180 THEN a.pct_dates[2] END
FROM agg a
$$;

-- Status of each project at `t` (NULL: the current one) from the append-only history: the last
-- status an event set at or before t, else the status the first later change started from, else
-- the project's status (never changed). Projects created after t are left out.
CREATE FUNCTION mk_project_status_at(pids bigint[], t timestamptz)
RETURNS TABLE (project_id bigint, status text, status_note text)
LANGUAGE sql STABLE AS $$
SELECT p.id,
       CASE WHEN t IS NULL THEN p.status ELSE coalesce(
           (SELECT e.to_status FROM project_event e WHERE e.project_id = p.id AND e.to_status IS NOT NULL
             AND e.at <= t ORDER BY e.at DESC, e.id DESC LIMIT 1),
           (SELECT e.from_status FROM project_event e WHERE e.project_id = p.id AND e.from_status IS NOT NULL
             AND e.at > t ORDER BY e.at, e.id LIMIT 1),
           p.status) END,
       (SELECT e.note FROM project_event e WHERE e.project_id = p.id AND e.kind = 'status' AND e.to_status IS NOT NULL
         AND (t IS NULL OR e.at <= t) ORDER BY e.at DESC, e.id DESC LIMIT 1)
FROM project p
WHERE (pids IS NULL OR p.id IN (SELECT unnest(pids))) AND (t IS NULL OR p.created_at <= t)
$$;

-- What monitoring derives per project at `t`: status, execution, delay, blocked flag with cause.
-- Delay: an open project (not completed or cancelled) is late when the reference date is past its
-- planned end, or past its planned start while works have not started; a completed project's delay
-- is actual end − planned end. Blocked: suspended, or the latest progress report says so, or no
-- physical progress between the last two reports (180 days or more apart) while works are under way.
CREATE FUNCTION mk_project_state(pids bigint[], t timestamptz)
RETURNS TABLE (project_id bigint, status text, physical_pct numeric, committed_tnd numeric, paid_tnd numeric,
               reports int, last_report date, execution_rate numeric, start_delay_days int, end_delay_days int,
               delayed boolean, blocked boolean, blocked_cause text)
LANGUAGE sql STABLE AS $$
WITH s AS (SELECT * FROM mk_project_status_at(pids, t)),
g AS (SELECT * FROM mk_project_progress(pids, t)),
d AS (
    SELECT p.id, s.status, s.status_note, g.*, mk_local_date(t) AS ref,
           ps.rank AS status_rank, p.planned_start, p.planned_end, p.actual_start, p.actual_end, p.budget_tnd
    FROM s JOIN project p ON p.id = s.project_id
    JOIN project_status ps ON ps.status = s.status
    LEFT JOIN g ON g.project_id = p.id
)
SELECT d.id, d.status, d.physical_pct, d.committed_tnd, d.paid_tnd, coalesce(d.reports, 0), d.last_report,
       CASE WHEN d.budget_tnd > 0 THEN round(coalesce(d.paid_tnd, 0) / d.budget_tnd, 4) END,
       CASE WHEN d.actual_start IS NOT NULL AND d.planned_start IS NOT NULL THEN d.actual_start - d.planned_start
            WHEN d.status IN ('identified', 'planned', 'approved', 'financed', 'in_procurement')
                 AND d.planned_start IS NOT NULL THEN greatest(d.ref - d.planned_start, 0) END,
       CASE WHEN d.status = 'completed' AND d.actual_end IS NOT NULL AND d.planned_end IS NOT NULL
                 THEN d.actual_end - d.planned_end
            WHEN d.status NOT IN ('completed', 'cancelled') AND d.planned_end IS NOT NULL
                 THEN greatest(d.ref - d.planned_end, 0) END,
       d.status NOT IN ('completed', 'cancelled') AND (
           (d.planned_end IS NOT NULL AND d.ref > d.planned_end)
        OR (d.status IN ('identified', 'planned', 'approved', 'financed', 'in_procurement')
            AND d.planned_start IS NOT NULL AND d.ref > d.planned_start)),
       d.status = 'suspended' OR (d.status NOT IN ('completed', 'cancelled') AND coalesce(d.report_blocked, false))
           OR (d.status = 'works_under_way' AND d.stalled_since IS NOT NULL),
       CASE WHEN d.status = 'suspended' THEN 'suspended' || coalesce(': ' || d.status_note, '')
            WHEN d.status NOT IN ('completed', 'cancelled') AND d.report_blocked
                 THEN 'reported blocked' || coalesce(': ' || d.report_blocked_cause, '')
            WHEN d.status = 'works_under_way' AND d.stalled_since IS NOT NULL
                 THEN 'no physical progress since ' || d.stalled_since END
FROM d
$$;

-- The monitoring of one project at `t` as JSON (what the API shows).
CREATE FUNCTION mk_project_monitoring_json(pid bigint, t timestamptz) RETURNS json
LANGUAGE sql STABLE AS $$
SELECT json_build_object(
    'status', s.status, 'status_fr', ps.name_fr, 'status_ar', ps.name_ar, 'status_en', ps.name_en,
    'iati_activity_status', ps.iati_code,
    'next_statuses', (SELECT coalesce(json_agg(t2.to_status ORDER BY x.rank), '[]') FROM project_status_transition t2
                      JOIN project_status x ON x.status = t2.to_status WHERE t2.from_status = s.status),
    'budget_tnd', p.budget_tnd, 'physical_pct', s.physical_pct, 'committed_tnd', s.committed_tnd,
    'paid_tnd', s.paid_tnd, 'execution_rate', s.execution_rate, 'reports', s.reports, 'last_report', s.last_report,
    'planned_start', p.planned_start, 'planned_end', p.planned_end, 'actual_start', p.actual_start,
    'actual_end', p.actual_end, 'start_delay_days', s.start_delay_days, 'end_delay_days', s.end_delay_days,
    'delayed', s.delayed, 'blocked', s.blocked, 'blocked_cause', s.blocked_cause,
    'reference_date', mk_local_date(t))
FROM mk_project_state(ARRAY[pid], t) s
JOIN project p ON p.id = s.project_id
JOIN project_status ps ON ps.status = s.status
$$;

-- ---------------------------------------------------------------- apportionment
-- Each project's share of every unit, per level, at `t` (NULL: now). A project's locations weigh
-- the same (a project with n locations gives 1/n to each); what no unit holds goes to a bucket
-- named after the reason ('~national', '~outside', '~coarser_precision', '~no_location' for a
-- project without any location). Shares of a project at a level sum to exactly 1.
CREATE FUNCTION mk_project_shares(pids bigint[], t timestamptz)
RETURNS TABLE (project_id bigint, level text, bucket text, unit_code text, reason text, share numeric)
LANGUAGE sql STABLE AS $$
WITH projects AS (
    SELECT p.id FROM project p
    WHERE (pids IS NULL OR p.id IN (SELECT unnest(pids))) AND (t IS NULL OR p.created_at <= t)
), levels AS (
    SELECT al.level FROM admin_level al
    WHERE EXISTS (SELECT 1 FROM admin_unit u WHERE u.level = al.level
                  AND ((t IS NULL AND u.valid_to IS NULL)
                    OR (t IS NOT NULL AND u.valid_from <= t AND (u.valid_to IS NULL OR u.valid_to > t))))
), a AS (
    SELECT a.project_id, a.level, a.location_id, a.unit_code,
           CASE WHEN a.unit_id IS NULL THEN a.method END AS reason, a.share
    FROM location_assignment a JOIN projects p ON p.id = a.project_id
    WHERE ((t IS NULL AND a.valid_to IS NULL)
        OR (t IS NOT NULL AND a.valid_from <= t AND (a.valid_to IS NULL OR a.valid_to > t)))
      AND a.level IN (SELECT level FROM levels)
), per AS (
    SELECT a.project_id, a.level, coalesce(a.unit_code, '~' || a.reason) AS bucket, a.unit_code, a.reason,
           sum(a.share::numeric) AS share
    FROM a GROUP BY 1, 2, 3, 4, 5
), located AS (
    SELECT per.*, sum(per.share) OVER (PARTITION BY per.project_id, per.level) AS total FROM per
)
SELECT l.project_id, l.level, l.bucket, l.unit_code, l.reason, l.share / l.total
FROM located l
UNION ALL
SELECT p.id, lv.level, '~no_location', NULL, 'no_location', 1::numeric
FROM projects p CROSS JOIN levels lv
WHERE NOT EXISTS (SELECT 1 FROM a WHERE a.project_id = p.id AND a.level = lv.level)
$$;

-- Budget, beneficiaries and the amounts committed and paid, apportioned by share with
-- largest-remainder rounding (to the millime, to the person), so that the parts of every project
-- add up exactly to its figure at every level.
CREATE FUNCTION mk_apportion_compute(pids bigint[], t timestamptz)
RETURNS TABLE (project_id bigint, level text, bucket text, unit_code text, reason text, share numeric,
               budget_tnd numeric, beneficiaries bigint, committed_tnd numeric, paid_tnd numeric)
LANGUAGE sql STABLE AS $$
WITH s AS (
    SELECT s.*, p.budget_tnd * 1000 AS b, p.beneficiaries::numeric AS n,
           g.committed_tnd * 1000 AS c, g.paid_tnd * 1000 AS pd
    FROM mk_project_shares(pids, t) s
    JOIN project p ON p.id = s.project_id
    LEFT JOIN mk_project_progress(pids, t) g ON g.project_id = s.project_id
), e AS (
    SELECT s.*, s.b * s.share AS eb, s.n * s.share AS en, s.c * s.share AS ec, s.pd * s.share AS ep FROM s
), f AS (
    SELECT e.*, floor(e.eb) AS fb, floor(e.en) AS fn, floor(e.ec) AS fc, floor(e.ep) AS fp FROM e
), r AS (
    SELECT f.*,
           row_number() OVER (PARTITION BY f.project_id, f.level ORDER BY f.eb - f.fb DESC, f.bucket) AS rb,
           row_number() OVER (PARTITION BY f.project_id, f.level ORDER BY f.en - f.fn DESC, f.bucket) AS rn,
           row_number() OVER (PARTITION BY f.project_id, f.level ORDER BY f.ec - f.fc DESC, f.bucket) AS rc,
           row_number() OVER (PARTITION BY f.project_id, f.level ORDER BY f.ep - f.fp DESC, f.bucket) AS rp,
           f.b - sum(f.fb) OVER w AS kb, f.n - sum(f.fn) OVER w AS kn,
           f.c - sum(f.fc) OVER w AS kc, f.pd - sum(f.fp) OVER w AS kp
    FROM f
    WINDOW w AS (PARTITION BY f.project_id, f.level)
)
SELECT r.project_id, r.level, r.bucket, r.unit_code, r.reason, r.share,
       ((r.fb + CASE WHEN r.rb <= r.kb THEN 1 ELSE 0 END) / 1000)::numeric(18, 3),
       (r.fn + CASE WHEN r.rn <= r.kn THEN 1 ELSE 0 END)::bigint,
       ((r.fc + CASE WHEN r.rc <= r.kc THEN 1 ELSE 0 END) / 1000)::numeric(18, 3),
       ((r.fp + CASE WHEN r.rp <= r.kp THEN 1 ELSE 0 END) / 1000)::numeric(18, 3)
FROM r
$$;

-- Funding lines apportioned the same way (each line to the millime).
CREATE FUNCTION mk_funding_apportion_compute(pids bigint[], t timestamptz)
RETURNS TABLE (funding_line_id bigint, project_id bigint, level text, bucket text, source_kind text, amount_tnd numeric)
LANGUAGE sql STABLE AS $$
WITH s AS (
    SELECT fl.id AS line, fl.source_kind, fl.amount_tnd * 1000 AS a, s.*
    FROM mk_project_shares(pids, t) s
    JOIN funding_line fl ON fl.project_id = s.project_id
), f AS (
    SELECT s.*, s.a * s.share AS ea, floor(s.a * s.share) AS fa FROM s
), r AS (
    SELECT f.*, row_number() OVER (PARTITION BY f.line, f.level ORDER BY f.ea - f.fa DESC, f.bucket) AS ra,
           f.a - sum(f.fa) OVER (PARTITION BY f.line, f.level) AS ka
    FROM f
)
SELECT r.line, r.project_id, r.level, r.bucket, r.source_kind,
       ((r.fa + CASE WHEN r.ra <= r.ka THEN 1 ELSE 0 END) / 1000)::numeric(18, 3)
FROM r
$$;

-- The current apportionment, kept by mk_project_refresh (0005).
CREATE TABLE project_apportionment (
    project_id    bigint NOT NULL,
    level         text   NOT NULL,
    bucket        text   NOT NULL,   -- unit code, or '~' || reason
    unit_code     text,
    reason        text,
    share         numeric NOT NULL,
    budget_tnd    numeric(18, 3),
    beneficiaries bigint,
    committed_tnd numeric(18, 3),
    paid_tnd      numeric(18, 3),
    PRIMARY KEY (project_id, level, bucket)
);
CREATE INDEX project_apportionment_bucket ON project_apportionment (level, bucket);

CREATE TABLE funding_apportionment (
    funding_line_id bigint NOT NULL,
    project_id      bigint NOT NULL,
    level           text   NOT NULL,
    bucket          text   NOT NULL,
    source_kind     text   NOT NULL,
    amount_tnd      numeric(18, 3) NOT NULL,
    PRIMARY KEY (funding_line_id, level, bucket)
);
CREATE INDEX funding_apportionment_project ON funding_apportionment (project_id);
CREATE INDEX funding_apportionment_bucket ON funding_apportionment (level, bucket);
