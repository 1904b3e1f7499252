-- A moderator's act on a proposal, with its log line: hide, unhide, clear (the reports, which
-- also unhides), approve (publish a proposal waiting in a moderate-first commune). MK404 for an
-- unknown proposal.
CREATE OR REPLACE FUNCTION mk_proposal_moderate(p_id bigint, act text, actor text, why text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    p proposal;
    cleared int := 0;
BEGIN
    SELECT * INTO p FROM proposal WHERE id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no proposal %', p_id USING ERRCODE = 'MK404';
    END IF;
    IF act = 'hide' THEN
        UPDATE proposal SET hidden = true, updated_at = now() WHERE id = p_id;
    ELSIF act = 'unhide' THEN
        UPDATE proposal SET hidden = false, updated_at = now() WHERE id = p_id;
    ELSIF act = 'clear' THEN
        UPDATE proposal_report SET cleared_at = now() WHERE proposal_id = p_id AND cleared_at IS NULL;
        GET DIAGNOSTICS cleared = ROW_COUNT;
        UPDATE proposal SET hidden = false, updated_at = now() WHERE id = p_id;
    ELSIF act = 'approve' THEN
        UPDATE proposal SET awaiting_moderation = false, updated_at = now() WHERE id = p_id;
    ELSE
        RAISE EXCEPTION 'unknown moderation action %', act USING ERRCODE = '22023';
    END IF;
    INSERT INTO moderation_log (proposal_id, municipality_code, action, actor, reason, data)
    VALUES (p_id, p.municipality_code, act, actor, why,
            jsonb_build_object('hidden_before', p.hidden, 'awaiting_before', p.awaiting_moderation, 'reports_cleared', cleared));
END $$;
