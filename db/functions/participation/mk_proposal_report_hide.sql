-- Reports hide a proposal by themselves: once its uncleared reports reach its commune's
-- threshold (default 3), the proposal is hidden and the act logged as done by 'system'.
CREATE OR REPLACE FUNCTION mk_proposal_report_hide() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    p proposal;
    n int;
    threshold int;
BEGIN
    SELECT * INTO p FROM proposal WHERE id = NEW.proposal_id FOR UPDATE;
    SELECT count(*) INTO n FROM proposal_report r WHERE r.proposal_id = NEW.proposal_id AND r.cleared_at IS NULL;
    SELECT s.report_threshold INTO threshold FROM mk_participation_setting(p.municipality_code) s;
    IF NOT p.hidden AND n >= threshold THEN
        UPDATE proposal SET hidden = true, updated_at = now() WHERE id = p.id;
        INSERT INTO moderation_log (proposal_id, municipality_code, action, actor, reason, data)
        VALUES (p.id, p.municipality_code, 'auto_hide', 'system', format('%s reports (threshold %s)', n, threshold),
                jsonb_build_object('reports', n, 'threshold', threshold));
    END IF;
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER proposal_report_hide AFTER INSERT ON proposal_report
    FOR EACH ROW EXECUTE FUNCTION mk_proposal_report_hide();
