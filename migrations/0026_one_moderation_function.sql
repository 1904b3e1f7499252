-- Proposals and comments are moderated by one function each way instead of twins that wrote the
-- same acts twice: mk_moderate(target, id, act, actor, why) for a moderator's act, and the
-- trigger function mk_report_hide() for the hiding done by reports, on both report tables
-- (db/functions/participation/). The triggers are created again by that file, after the
-- migrations. On a fresh install none of these exist yet (function files run after the
-- migrations), hence IF EXISTS.
DROP FUNCTION IF EXISTS mk_proposal_moderate(bigint, text, text, text);
DROP FUNCTION IF EXISTS mk_comment_moderate(bigint, text, text, text);
DROP TRIGGER IF EXISTS proposal_report_hide ON proposal_report;
DROP TRIGGER IF EXISTS proposal_comment_report_hide ON proposal_comment_report;
DROP FUNCTION IF EXISTS mk_proposal_report_hide();
DROP FUNCTION IF EXISTS mk_comment_report_hide();
