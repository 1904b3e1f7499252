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
