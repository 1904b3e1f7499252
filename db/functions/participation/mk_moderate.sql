-- A moderator's act on a proposal or a comment (`target`: 'proposal' or 'comment'; the same acts,
-- the same log): hide, unhide, clear (the uncleared reports, which also unhides), approve (publish
-- what waits in a moderate-first commune). Each act is logged with the state before it. MK404 for
-- an unknown target.
CREATE OR REPLACE FUNCTION mk_moderate(target text, t_id bigint, act text, actor text, why text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    p proposal;
    c proposal_comment;
    was_hidden boolean;
    was_awaiting boolean;
    cleared int := 0;
BEGIN
    IF act NOT IN ('hide', 'unhide', 'clear', 'approve') THEN
        RAISE EXCEPTION 'unknown moderation action %', act USING ERRCODE = '22023';
    END IF;
    IF target = 'comment' THEN
        c := mk_locked(NULL::proposal_comment, t_id, 'comment');
        SELECT * INTO p FROM proposal WHERE id = c.proposal_id;
        was_hidden := c.hidden;
        was_awaiting := c.awaiting_moderation;
    ELSE
        p := mk_locked(NULL::proposal, t_id, 'proposal');
        was_hidden := p.hidden;
        was_awaiting := p.awaiting_moderation;
    END IF;
    IF act = 'clear' AND target = 'comment' THEN
        UPDATE proposal_comment_report SET cleared_at = now() WHERE comment_id = t_id AND cleared_at IS NULL;
        GET DIAGNOSTICS cleared = ROW_COUNT;
    ELSIF act = 'clear' THEN
        UPDATE proposal_report SET cleared_at = now() WHERE proposal_id = t_id AND cleared_at IS NULL;
        GET DIAGNOSTICS cleared = ROW_COUNT;
    END IF;
    IF target = 'comment' THEN
        UPDATE proposal_comment
        SET hidden = CASE act WHEN 'hide' THEN true WHEN 'approve' THEN hidden ELSE false END,
            awaiting_moderation = awaiting_moderation AND act <> 'approve'
        WHERE id = t_id;
    ELSE
        UPDATE proposal
        SET hidden = CASE act WHEN 'hide' THEN true WHEN 'approve' THEN hidden ELSE false END,
            awaiting_moderation = awaiting_moderation AND act <> 'approve',
            updated_at = now()
        WHERE id = t_id;
    END IF;
    INSERT INTO moderation_log (proposal_id, comment_id, municipality_code, action, actor, reason, data)
    VALUES (p.id, c.id, p.municipality_code, act, actor, why,
            jsonb_build_object('hidden_before', was_hidden, 'awaiting_before', was_awaiting, 'reports_cleared', cleared));
END $$;
