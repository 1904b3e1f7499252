-- Issue 9 (write rules): one set of rules for every write path, planner scope "inside", and
-- concurrent writes that serialize instead of deadlocking. See docs/write-rules.md.

-- ---------------------------------------------------------------- numbers: finite, never NaN
-- numeric(18, 3) already refuses Infinity; NaN compares equal to itself in numeric and passes
-- ">= 0", so it is refused explicitly.
ALTER TABLE project ADD CONSTRAINT project_budget_finite CHECK (budget_tnd IS NULL OR budget_tnd <> 'NaN'::numeric);
ALTER TABLE funding_line ADD CONSTRAINT funding_line_finite
    CHECK (amount <> 'NaN'::numeric AND amount_tnd <> 'NaN'::numeric);
ALTER TABLE project_event ADD CONSTRAINT project_event_finite
    CHECK ((committed_tnd IS NULL OR committed_tnd <> 'NaN'::numeric) AND (paid_tnd IS NULL OR paid_tnd <> 'NaN'::numeric)
           AND (committed_tnd IS NULL OR committed_tnd >= 0) AND (paid_tnd IS NULL OR paid_tnd >= 0));

-- ---------------------------------------------------------------- concurrency
-- Every write that refreshes the derived tables (apportionment, monitor, unit_indicator) takes
-- this transaction-level lock first: refreshes are serialized (no duplicate keys on
-- unit_indicator, no deadlocks between refreshes), and an API write takes it before any row
-- lock, so lock order is always the same. Same key as mk_planning_fresh.
CREATE FUNCTION mk_write_lock() RETURNS void
LANGUAGE sql AS $$ SELECT pg_advisory_xact_lock(hashtext('mokhattat-planning-refresh')) $$;

CREATE OR REPLACE FUNCTION mk_indicators_refresh(keys text[]) RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    lv text;
    buckets text[];
BEGIN
    IF keys IS NULL OR cardinality(keys) = 0 THEN
        RETURN;
    END IF;
    PERFORM mk_write_lock();
    FOR lv IN SELECT DISTINCT split_part(k, '|', 1) FROM unnest(keys) AS k ORDER BY 1 LOOP
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

CREATE OR REPLACE FUNCTION mk_project_refresh(pids bigint[]) RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    keys text[];
BEGIN
    pids := array(SELECT DISTINCT x FROM unnest(pids) AS x WHERE x IS NOT NULL ORDER BY x);
    IF cardinality(pids) = 0 THEN
        RETURN;
    END IF;
    -- an API write (projects::rules::write_tx) refreshes once, just before it commits
    -- (mk_refresh_flush), instead of once per statement
    IF current_setting('mokhattat.defer_refresh', true) = 'on' THEN
        CREATE TEMP TABLE IF NOT EXISTS mk_refresh_pending (id bigint) ON COMMIT DROP;
        INSERT INTO mk_refresh_pending SELECT unnest(pids);
        RETURN;
    END IF;
    PERFORM mk_write_lock();
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

-- The refresh an API write deferred (see mk_project_refresh), done once before it commits.
CREATE FUNCTION mk_refresh_flush() RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    pids bigint[];
BEGIN
    PERFORM set_config('mokhattat.defer_refresh', 'off', true);
    IF to_regclass('pg_temp.mk_refresh_pending') IS NULL THEN
        RETURN;
    END IF;
    pids := array(SELECT DISTINCT id FROM mk_refresh_pending ORDER BY id);
    DELETE FROM mk_refresh_pending;
    PERFORM mk_project_refresh(pids);
END $$;

-- ---------------------------------------------------------------- blocked stays set
-- The blocked flag is the one of the latest report that says something about it ("blocked":
-- true or false); a report that does not mention it leaves it as it was.
CREATE OR REPLACE FUNCTION mk_project_progress(pids bigint[], t timestamptz)
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
           (array_agg(k.data ORDER BY k.rd DESC, k.id DESC)
                FILTER (WHERE jsonb_typeof(k.data->'blocked') = 'boolean'))[1] AS last_data,
           (array_agg(k.physical_pct ORDER BY k.rd DESC, k.id DESC) FILTER (WHERE k.physical_pct IS NOT NULL))[1:2] AS last_two_pct,
           (array_agg(k.rd ORDER BY k.rd DESC, k.id DESC) FILTER (WHERE k.physical_pct IS NOT NULL)) AS pct_dates
    FROM k GROUP BY k.project_id
)
SELECT a.project_id, a.reports, a.last_report, a.physical_pct, a.committed_tnd, a.paid_tnd,
       coalesce((a.last_data->>'blocked')::boolean, false),
       CASE WHEN (a.last_data->>'blocked')::boolean THEN a.last_data->>'blocked_cause' END,
       CASE WHEN cardinality(a.last_two_pct) = 2 AND a.last_two_pct[1] <= a.last_two_pct[2]
                 AND a.pct_dates[1] - a.pct_dates[2] >= 180 THEN a.pct_dates[2] END
FROM agg a
$$;

-- ---------------------------------------------------------------- the lifecycle, in one place
-- A date read from an event's data, or NULL when absent or malformed.
CREATE FUNCTION mk_json_date(v text) RETURNS date
LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN v ~ '^\d{4}-\d{2}-\d{2}$' THEN v::date END $$;

-- The date of a project's latest dated event (status changes and progress reports): the date
-- the event says it happened (report_date, date), else the local date it was recorded.
CREATE FUNCTION mk_project_last_event_date(pid bigint) RETURNS date
LANGUAGE sql STABLE AS $$
SELECT max(coalesce(mk_json_date(e.data->>'report_date'), mk_json_date(e.data->>'date'), mk_local_date(e.at)))
FROM project_event e WHERE e.project_id = pid AND e.kind IN ('status', 'progress')
$$;

-- Why the event proposed for project `pid` is refused (409), or NULL when it is allowed. Every
-- write path (POST /api/projects/{code}/status and /progress, OGC API – Features POST/PUT/PATCH)
-- asks this function and sends its answer as is.
--   to_status   the status asked for (NULL: no status change)
--   on_date     the date the event happened
--   physical    the physical progress reported with it (NULL: none)
--   correction  an explicit correction with a reason: lifts the date, "progress goes down" and
--               "completed below 100 %" rules (never the transition table)
CREATE FUNCTION mk_event_refusal(pid bigint, to_status text, on_date date, physical numeric, correction boolean)
RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    p record;
    allowed text;
    last_date date;
    pct numeric;
BEGIN
    SELECT id, code, status INTO p FROM project WHERE id = pid;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF to_status IS NOT NULL THEN
        IF to_status = p.status THEN
            RETURN format('project %s is already %s: nothing to change', p.code, to_status);
        END IF;
        IF NOT EXISTS (SELECT 1 FROM project_status_transition t WHERE t.from_status = p.status AND t.to_status = mk_event_refusal.to_status) THEN
            allowed := (SELECT string_agg(t.to_status, ', ' ORDER BY s.rank)
                        FROM project_status_transition t JOIN project_status s ON s.status = t.to_status
                        WHERE t.from_status = p.status);
            RETURN format('project %s cannot go from %s to %s: %s', p.code, p.status, to_status,
                          CASE WHEN allowed IS NULL THEN format('%s is a final status: no transition leaves it', p.status)
                               ELSE format('from %s a project may go to %s', p.status, allowed) END);
        END IF;
    ELSIF p.status = 'cancelled' AND physical IS NOT NULL THEN
        RETURN format('project %s is cancelled: a cancelled project takes no progress reports', p.code);
    END IF;
    IF coalesce(correction, false) THEN
        RETURN NULL;
    END IF;
    last_date := mk_project_last_event_date(pid);
    IF on_date IS NOT NULL AND last_date IS NOT NULL AND on_date < last_date THEN
        RETURN format('project %s: an event dated %s is before the project''s last event (%s); '
                      'send "correction": true with a "reason" to record a back-dated correction', p.code, on_date, last_date);
    END IF;
    pct := (SELECT g.physical_pct FROM mk_project_progress(ARRAY[pid], NULL) g);
    IF physical IS NOT NULL AND pct IS NOT NULL AND physical < pct THEN
        RETURN format('project %s: physical progress cannot go down from %s %% to %s %%; '
                      'send "correction": true with a "reason" to correct an earlier report', p.code, pct, physical);
    END IF;
    IF to_status = 'completed' AND coalesce(physical, pct) < 100 THEN
        RETURN format('project %s cannot be completed at %s %% physical progress: report 100 %% first, '
                      'or send "correction": true with a "reason"', p.code, coalesce(physical, pct));
    END IF;
    RETURN NULL;
END $$;

-- ---------------------------------------------------------------- a planner's scope means inside
-- The municipalities a project's locations lie in now, from the assignment rule (points: the unit
-- containing them, on a shared boundary the lowest code; lines and polygons: length or area
-- shares). A municipality that holds less than 1 % of a location is not counted (boundary
-- digitising noise); '' stands for the part outside every municipality (or a location with no
-- municipality: national, coarser precision). A planner key may edit the project when every one
-- of them is one of its municipalities (auth::Caller::can_edit_project).
CREATE FUNCTION mk_project_municipalities(pid bigint) RETURNS text[]
LANGUAGE sql STABLE AS $$
SELECT coalesce(array_agg(DISTINCT coalesce(a.unit_code, '') ORDER BY coalesce(a.unit_code, '')), '{}')
FROM location_assignment a
WHERE a.project_id = pid AND a.valid_to IS NULL AND a.level = 'municipality' AND a.share >= 0.01
$$;

-- The same, as a sentence with the shares (each location weighs the same), for a 403.
CREATE FUNCTION mk_project_municipality_shares(pid bigint) RETURNS text
LANGUAGE sql STABLE AS $$
WITH n AS (SELECT count(DISTINCT a.location_id) AS n FROM location_assignment a
           WHERE a.project_id = pid AND a.valid_to IS NULL AND a.level = 'municipality'),
s AS (SELECT a.unit_code, sum(a.share) / (SELECT n FROM n) AS share
      FROM location_assignment a
      WHERE a.project_id = pid AND a.valid_to IS NULL AND a.level = 'municipality'
      GROUP BY a.unit_code)
SELECT coalesce(string_agg(coalesce(s.unit_code || coalesce(' ' || u.name_fr, ''), 'outside every municipality')
                           || ' (' || to_char(round((100 * s.share)::numeric, 1), 'FM990.0') || ' %)',
                           ', ' ORDER BY s.share DESC, s.unit_code), 'no municipality')
FROM s LEFT JOIN admin_unit_current u ON u.level = 'municipality' AND u.code = s.unit_code
$$;

-- ---------------------------------------------------------------- warnings and funding
-- What is accepted but should be looked at: [{code, message}].
CREATE FUNCTION mk_project_warnings(pid bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
WITH p AS (SELECT id, budget_tnd, status FROM project WHERE id = pid),
f AS (SELECT count(*) AS n, coalesce(sum(amount_tnd), 0) AS total FROM funding_line WHERE project_id = pid),
m AS (SELECT g.physical_pct FROM mk_project_progress(ARRAY[pid], NULL) g)
SELECT coalesce(jsonb_agg(w), '[]') FROM (
    SELECT jsonb_build_object('code', 'funding_mismatch',
        'message', format('funding lines add up to %s TND but the budget is %s TND (difference %s)',
                          f.total, p.budget_tnd, f.total - p.budget_tnd),
        'funding_tnd', f.total, 'budget_tnd', p.budget_tnd) AS w
    FROM p, f WHERE f.n > 0 AND p.budget_tnd IS NOT NULL AND f.total <> p.budget_tnd
    UNION ALL
    SELECT jsonb_build_object('code', 'funding_without_budget',
        'message', format('funding lines add up to %s TND but the project has no budget', f.total))
    FROM p, f WHERE f.n > 0 AND p.budget_tnd IS NULL
    UNION ALL
    SELECT jsonb_build_object('code', 'completed_without_progress',
        'message', 'the project is completed but no physical progress was ever reported')
    FROM p WHERE p.status = 'completed' AND NOT EXISTS (SELECT 1 FROM m WHERE m.physical_pct IS NOT NULL)
) x
$$;

-- The funding kinds the schema accepts (read from funding_line's CHECK constraint, so the API
-- and the table cannot disagree).
CREATE FUNCTION mk_funding_kinds() RETURNS text[]
LANGUAGE sql STABLE AS $$
SELECT array(SELECT m[1] FROM pg_constraint c, regexp_matches(pg_get_constraintdef(c.oid), '''([a-z_]+)''', 'g') m
             WHERE c.conrelid = 'funding_line'::regclass AND c.contype = 'c'
               AND pg_get_constraintdef(c.oid) LIKE '%source_kind%')
$$;

-- The funding answer: lines, total, budget and warnings.
CREATE FUNCTION mk_funding_json(pid bigint) RETURNS text
LANGUAGE sql STABLE AS $$
SELECT jsonb_build_object(
    'project', p.code,
    'budget_tnd', p.budget_tnd,
    'total_tnd', (SELECT coalesce(sum(f.amount_tnd), 0) FROM funding_line f WHERE f.project_id = p.id),
    'lines', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', f.id, 'source_kind', f.source_kind, 'funder', f.funder,
                                                          'amount', f.amount, 'currency', f.currency,
                                                          'amount_tnd', f.amount_tnd, 'note', f.note) ORDER BY f.id), '[]')
              FROM funding_line f WHERE f.project_id = p.id),
    'source_kinds', to_jsonb(mk_funding_kinds()),
    'warnings', mk_project_warnings(p.id))::text
FROM project p WHERE p.id = pid
$$;
