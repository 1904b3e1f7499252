-- The one place a plan gets a new version: only an adopted plan (adopted, implementation, closed)
-- is revised — a draft or a plan in consultation is edited in place — and only its latest version
-- (else MK409). The new version is a draft that copies the plan's fields, stages and lines and
-- points to the version it revises (previous_id); the old version stays unchanged, as history.
CREATE OR REPLACE FUNCTION mk_plan_revise(p_id bigint, p_by text)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    pl plan;
    later bigint;
    new_id bigint;
BEGIN
    pl := mk_locked(NULL::plan, p_id, 'plan');
    SELECT id INTO later FROM plan WHERE previous_id = p_id;
    IF later IS NOT NULL THEN
        RAISE EXCEPTION 'plan % already has a later version (plan %); revise that one', p_id, later
            USING ERRCODE = 'MK409';
    END IF;
    IF pl.status NOT IN ('adopted', 'implementation', 'closed') THEN
        RAISE EXCEPTION 'a plan in status % is edited in place; only an adopted plan gets a new version', pl.status
            USING ERRCODE = 'MK409';
    END IF;
    INSERT INTO plan (municipality_code, kind, title, period_start, period_end, envelope_tnd, version,
                      previous_id, created_by)
    VALUES (pl.municipality_code, pl.kind, pl.title, pl.period_start, pl.period_end, pl.envelope_tnd,
            pl.version + 1, pl.id, p_by)
    RETURNING id INTO new_id;
    INSERT INTO plan_stage (plan_id, stage, starts_on, ends_on, outputs)
    SELECT new_id, s.stage, s.starts_on, s.ends_on, s.outputs FROM plan_stage s WHERE s.plan_id = p_id;
    INSERT INTO plan_line (plan_id, project_id, year, amount_tnd, zone_id)
    SELECT new_id, l.project_id, l.year, l.amount_tnd, l.zone_id FROM plan_line l WHERE l.plan_id = p_id;
    RETURN new_id;
END $$;
