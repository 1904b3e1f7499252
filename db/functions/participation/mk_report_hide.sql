-- Reports hide what they report by themselves (docs/participation.md, "Moderation"): once a
-- proposal's or a comment's uncleared reports reach its commune's threshold (default 3), it is
-- hidden and the act logged as 'auto_hide' by 'system'. One trigger function for both report
-- tables (which one fired it: TG_TABLE_NAME), called by the triggers below.
CREATE OR REPLACE FUNCTION mk_report_hide() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    on_comment boolean := TG_TABLE_NAME = 'proposal_comment_report';
    p proposal;
    c proposal_comment;
    was_hidden boolean;
    n int;
    threshold int;
BEGIN
    IF on_comment THEN
        SELECT * INTO c FROM proposal_comment WHERE id = NEW.comment_id FOR UPDATE;
        SELECT * INTO p FROM proposal WHERE id = c.proposal_id;
        SELECT count(*) INTO n FROM proposal_comment_report r WHERE r.comment_id = c.id AND r.cleared_at IS NULL;
        was_hidden := c.hidden;
    ELSE
        SELECT * INTO p FROM proposal WHERE id = NEW.proposal_id FOR UPDATE;
        SELECT count(*) INTO n FROM proposal_report r WHERE r.proposal_id = p.id AND r.cleared_at IS NULL;
        was_hidden := p.hidden;
    END IF;
    SELECT s.report_threshold INTO threshold FROM mk_participation_setting(p.municipality_code) s;
    IF NOT was_hidden AND n >= threshold THEN
        IF on_comment THEN
            UPDATE proposal_comment SET hidden = true WHERE id = c.id;
        ELSE
            UPDATE proposal SET hidden = true, updated_at = now() WHERE id = p.id;
        END IF;
        INSERT INTO moderation_log (proposal_id, comment_id, municipality_code, action, actor, reason, data)
        VALUES (p.id, c.id, p.municipality_code, 'auto_hide', 'system', format('%s reports (threshold %s)', n, threshold),
                jsonb_build_object('reports', n, 'threshold', threshold));
    END IF;
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER proposal_report_hide AFTER INSERT ON proposal_report
    FOR EACH ROW EXECUTE FUNCTION mk_report_hide();
CREATE OR REPLACE TRIGGER proposal_comment_report_hide AFTER INSERT ON proposal_comment_report
    FOR EACH ROW EXECUTE FUNCTION mk_report_hide();
