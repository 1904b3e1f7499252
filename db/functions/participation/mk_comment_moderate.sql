-- A moderator's act on comment c_id: hide, unhide, clear (its reports, which also unhides),
-- approve (publish it in a moderate-first commune). MK404 for an unknown comment.
CREATE OR REPLACE FUNCTION mk_comment_moderate(c_id bigint, act text, actor text, why text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    c proposal_comment;
    cleared int := 0;
BEGIN
    SELECT * INTO c FROM proposal_comment WHERE id = c_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no comment %', c_id USING ERRCODE = 'MK404';
    END IF;
    IF act = 'clear' THEN
        UPDATE proposal_comment_report SET cleared_at = now() WHERE comment_id = c_id AND cleared_at IS NULL;
        GET DIAGNOSTICS cleared = ROW_COUNT;
    ELSIF act NOT IN ('hide', 'unhide', 'approve') THEN
        RAISE EXCEPTION 'unknown moderation action %', act USING ERRCODE = '22023';
    END IF;
    UPDATE proposal_comment
    SET hidden = CASE act WHEN 'hide' THEN true WHEN 'approve' THEN hidden ELSE false END,
        awaiting_moderation = awaiting_moderation AND act <> 'approve'
    WHERE id = c_id;
    INSERT INTO moderation_log (proposal_id, comment_id, municipality_code, action, actor, reason, data)
    SELECT c.proposal_id, c_id, p.municipality_code, act, actor, why,
           jsonb_build_object('hidden_before', c.hidden, 'awaiting_before', c.awaiting_moderation, 'reports_cleared', cleared)
    FROM proposal p WHERE p.id = c.proposal_id;
END $$;
