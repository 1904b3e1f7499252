-- Comments are moderated like proposals (docs/participation.md, "Moderation"): in a moderate-first
-- commune a new comment waits for a moderator; its uncleared reports hide it at the commune's
-- threshold (logged as 'auto_hide' by 'system'); moderators hide, unhide, clear and approve it,
-- each act logged with the comment's id. Visible comments: mk_proposal_public(hidden, awaiting),
-- the same rule as proposals.
CREATE OR REPLACE FUNCTION mk_comment_hold() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.awaiting_moderation := (SELECT s.mode = 'moderate_first'
        FROM proposal p, mk_participation_setting(p.municipality_code) s WHERE p.id = NEW.proposal_id);
    RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER proposal_comment_hold BEFORE INSERT ON proposal_comment
    FOR EACH ROW EXECUTE FUNCTION mk_comment_hold();

CREATE OR REPLACE FUNCTION mk_comment_report_hide() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    c proposal_comment;
    mun text;
    n int;
    threshold int;
BEGIN
    SELECT * INTO c FROM proposal_comment WHERE id = NEW.comment_id FOR UPDATE;
    SELECT p.municipality_code INTO mun FROM proposal p WHERE p.id = c.proposal_id;
    SELECT count(*) INTO n FROM proposal_comment_report r WHERE r.comment_id = c.id AND r.cleared_at IS NULL;
    SELECT s.report_threshold INTO threshold FROM mk_participation_setting(mun) s;
    IF NOT c.hidden AND n >= threshold THEN
        UPDATE proposal_comment SET hidden = true WHERE id = c.id;
        INSERT INTO moderation_log (proposal_id, comment_id, municipality_code, action, actor, reason, data)
        VALUES (c.proposal_id, c.id, mun, 'auto_hide', 'system', format('%s reports (threshold %s)', n, threshold),
                jsonb_build_object('reports', n, 'threshold', threshold));
    END IF;
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER proposal_comment_report_hide AFTER INSERT ON proposal_comment_report
    FOR EACH ROW EXECUTE FUNCTION mk_comment_report_hide();

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
