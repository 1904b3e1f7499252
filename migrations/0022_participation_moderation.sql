-- Issue 11, moderation completed (docs/participation.md, "Moderation"): comments are reported and
-- moderated like proposals (once per participant, hidden at the commune's threshold, held back in
-- a moderate-first commune), the moderation log names the comment an act was on, a moderator may
-- read a proposal's private contact (an act logged as 'contact'), and the queue of what waits for
-- moderators is read by commune. The triggers and functions live in db/functions/participation/.
ALTER TABLE proposal_comment ADD COLUMN awaiting_moderation boolean NOT NULL DEFAULT false;

CREATE TABLE proposal_comment_report (
    comment_id         bigint NOT NULL REFERENCES proposal_comment ON DELETE CASCADE,
    participant_sha256 text   NOT NULL,
    reason             text   NOT NULL CHECK (reason IN ('spam', 'offensive', 'off_topic')),
    created_at         timestamptz NOT NULL DEFAULT now(),
    cleared_at         timestamptz,
    PRIMARY KEY (comment_id, participant_sha256)
);

ALTER TABLE moderation_log ADD COLUMN comment_id bigint;
ALTER TABLE moderation_log DROP CONSTRAINT moderation_log_action_check;
ALTER TABLE moderation_log ADD CONSTRAINT moderation_log_action_check CHECK (action IN (
    'auto_hide', 'hide', 'unhide', 'clear', 'approve', 'answer', 'publish_answer', 'transition',
    'link_project', 'settings', 'contact'));

-- The queue: what is held back, hidden or reported, by commune.
CREATE INDEX proposal_moderation_queue ON proposal (municipality_code, id)
    WHERE awaiting_moderation OR hidden;
CREATE INDEX proposal_report_open ON proposal_report (proposal_id) WHERE cleared_at IS NULL;
CREATE INDEX proposal_comment_report_open ON proposal_comment_report (comment_id) WHERE cleared_at IS NULL;
CREATE INDEX proposal_comment_queue ON proposal_comment (proposal_id, id) WHERE awaiting_moderation OR hidden;
-- Re-tagging after a zone's change finds the proposals it names.
CREATE INDEX proposal_zone ON proposal (zone_id);
