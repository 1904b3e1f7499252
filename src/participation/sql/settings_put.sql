-- Set commune $1's mode ($2) and report threshold ($3) by $4, and log it.
WITH s AS (
    INSERT INTO participation_setting (municipality_code, mode, report_threshold, updated_at, updated_by)
    VALUES ($1, $2, $3, now(), $4)
    ON CONFLICT (municipality_code) DO UPDATE
    SET mode = EXCLUDED.mode, report_threshold = EXCLUDED.report_threshold, updated_at = now(), updated_by = EXCLUDED.updated_by
    RETURNING municipality_code
)
INSERT INTO moderation_log (proposal_id, municipality_code, action, actor, data)
SELECT 0, s.municipality_code, 'settings', $4, jsonb_build_object('mode', $2::text, 'report_threshold', $3::int) FROM s
