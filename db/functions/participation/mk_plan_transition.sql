-- The one place a plan changes status: the move must be in plan_status_transition (else MK409);
-- NULL status keeps the current one; adopting needs the adoption date (and takes the deliberation reference when given).
CREATE OR REPLACE FUNCTION mk_plan_transition(p_id bigint, p_status text, p_adopted_on date, p_deliberation text)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    pl plan;
BEGIN
    pl := mk_locked(NULL::plan, p_id, 'plan');
    p_status := coalesce(p_status, pl.status);
    IF p_status IS DISTINCT FROM pl.status AND NOT EXISTS (
        SELECT 1 FROM plan_status_transition t WHERE t.from_status = pl.status AND t.to_status = p_status) THEN
        RAISE EXCEPTION 'a plan in status % cannot move to %; allowed: %', pl.status, p_status,
            coalesce((SELECT string_agg(t.to_status, ', ') FROM plan_status_transition t WHERE t.from_status = pl.status),
                     'none (closed)')
            USING ERRCODE = 'MK409';
    END IF;
    IF p_status = 'adopted' AND coalesce(p_adopted_on, pl.adopted_on) IS NULL THEN
        RAISE EXCEPTION 'adopting a plan needs "adopted_on" (the date of the council deliberation)' USING ERRCODE = 'MK409';
    END IF;
    UPDATE plan SET status = p_status, adopted_on = coalesce(p_adopted_on, adopted_on),
                    deliberation_ref = coalesce(p_deliberation, deliberation_ref), updated_at = now()
    WHERE id = p_id;
    RETURN pl.municipality_code;
END $$;
