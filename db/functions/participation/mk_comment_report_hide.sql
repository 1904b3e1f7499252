-- A comment's uncleared reports hide it at its commune's threshold, logged as 'auto_hide' by
-- 'system' (docs/participation.md, "Moderation"). Called by the trigger below.
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
