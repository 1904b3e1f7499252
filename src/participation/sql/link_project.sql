-- Link accepted proposal $1 to project $2 (its code) by $3: the proposal's answer is now that
-- project ("you said / we did"). No row: the proposal is not accepted or the project is unknown.
WITH pr AS (SELECT id, code FROM project WHERE code = $2),
up AS (
    UPDATE proposal p SET project_id = pr.id, updated_at = now()
    FROM pr WHERE p.id = $1 AND p.state = 'accepted'
    RETURNING p.id, p.municipality_code, pr.code
), lg AS (
    INSERT INTO moderation_log (proposal_id, municipality_code, action, actor, data)
    SELECT up.id, up.municipality_code, 'link_project', $3, jsonb_build_object('project', up.code) FROM up
)
SELECT code FROM up
