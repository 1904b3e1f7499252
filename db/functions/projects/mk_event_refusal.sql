-- Why the event proposed for project `pid` is refused (409), or NULL when it is allowed. Every
-- write path (POST /api/projects/{code}/status and /progress, OGC API – Features POST/PUT/PATCH)
-- asks this function and sends its answer as is.
--   to_status   the status asked for (NULL: no status change)
--   on_date     the date the event happened
--   physical    the physical progress reported with it (NULL: none)
--   correction  an explicit correction with a reason: lifts the date, "progress goes down" and
--               "completed below 100 %" rules (never the transition table)
CREATE OR REPLACE FUNCTION mk_event_refusal(pid bigint, to_status text, on_date date, physical numeric, correction boolean)
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
