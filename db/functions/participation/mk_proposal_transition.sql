-- The one place a proposal changes state. `actor_kind` is 'moderator' or 'author'; the move must be
-- in proposal_transition, else SQLSTATE MK409 (409 at the HTTP edge). An author may move only
-- until an answer is published. With publish = false a moderator's move and answer are kept as a
-- draft (draft_state, draft_answer) and the public state does not change; publish = true applies
-- the move (or the pending draft when to_state is NULL) and publishes the answer.
-- Returns the proposal's municipality code. Each act is written to moderation_log.
CREATE OR REPLACE FUNCTION mk_proposal_transition(p_id bigint, p_state text, actor_kind text, actor text,
                                                  p_answer text, p_merged_into bigint, publish boolean)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    p proposal;
    target text;
    new_answer text;
BEGIN
    p := mk_locked(NULL::proposal, p_id, 'proposal');
    target := coalesce(p_state, CASE WHEN publish THEN p.draft_state END);
    new_answer := coalesce(p_answer, CASE WHEN p_state IS NULL OR p_state = p.draft_state THEN p.draft_answer END);
    IF target IS NULL THEN
        RAISE EXCEPTION 'nothing to publish: give a "state" (and an "answer"), no draft is pending'
            USING ERRCODE = 'MK409';
    END IF;
    IF actor_kind = 'author' AND p.answered_at IS NOT NULL THEN
        RAISE EXCEPTION 'an answer was published on %: the proposal can no longer be changed by its author / تمت الإجابة عن المقترح ولا يمكن لصاحبه تغييره', p.answered_at::date
            USING ERRCODE = 'MK409';
    END IF;
    IF target = p.state AND target = 'evaluating' AND actor_kind = 'moderator' THEN
        NULL; -- publishing an answer while staying under evaluation
    ELSIF NOT EXISTS (SELECT 1 FROM proposal_transition t
                      WHERE t.from_state = p.state AND t.to_state = target AND t.actor = actor_kind) THEN
        RAISE EXCEPTION 'a proposal in state % cannot be moved to % by its %; allowed: %', p.state, target, actor_kind,
            coalesce((SELECT string_agg(t.to_state, ', ' ORDER BY t.to_state) FROM proposal_transition t
                      WHERE t.from_state = p.state AND t.actor = actor_kind), 'none (final state)')
            USING ERRCODE = 'MK409';
    END IF;
    IF target = 'merged' THEN
        IF p_merged_into IS NULL OR p_merged_into = p_id
           OR NOT EXISTS (SELECT 1 FROM proposal m WHERE m.id = p_merged_into AND m.state NOT IN ('merged', 'withdrawn')) THEN
            RAISE EXCEPTION 'merging needs "merged_into": the id of another proposal that is neither merged nor withdrawn'
                USING ERRCODE = 'MK409';
        END IF;
    END IF;
    IF actor_kind = 'moderator' AND NOT publish THEN
        UPDATE proposal SET draft_state = target, draft_answer = new_answer, updated_at = now() WHERE id = p_id;
        INSERT INTO moderation_log (proposal_id, municipality_code, action, actor, data)
        VALUES (p_id, p.municipality_code, 'answer', actor, jsonb_build_object('draft_state', target));
        RETURN p.municipality_code;
    END IF;
    UPDATE proposal
    SET state = target,
        answer = CASE WHEN actor_kind = 'moderator' THEN coalesce(new_answer, answer) ELSE answer END,
        answered_at = CASE WHEN actor_kind = 'moderator' AND new_answer IS NOT NULL THEN now() ELSE answered_at END,
        merged_into = CASE WHEN target = 'merged' THEN p_merged_into ELSE merged_into END,
        withdrawn_at = CASE WHEN target = 'withdrawn' THEN now() ELSE withdrawn_at END,
        draft_state = NULL, draft_answer = NULL, updated_at = now()
    WHERE id = p_id;
    INSERT INTO moderation_log (proposal_id, municipality_code, action, actor, data)
    VALUES (p_id, p.municipality_code, CASE WHEN actor_kind = 'moderator' THEN 'publish_answer' ELSE 'transition' END,
            actor, jsonb_build_object('from', p.state, 'to', target));
    RETURN p.municipality_code;
END $$;
