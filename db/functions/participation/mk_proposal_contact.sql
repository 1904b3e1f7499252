-- A moderator reaches a proposal's author: the private name and contact of proposal p_id
-- (proposal_author, which no public path reads), each reading logged as 'contact' with who and
-- why. MK404 for an unknown proposal. Only the moderators' endpoint calls it.
CREATE OR REPLACE FUNCTION mk_proposal_contact(p_id bigint, actor text, why text)
RETURNS TABLE (name text, contact text) LANGUAGE plpgsql AS $$
DECLARE
    mun text;
BEGIN
    SELECT p.municipality_code INTO mun FROM proposal p WHERE p.id = p_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no proposal %', p_id USING ERRCODE = 'MK404';
    END IF;
    SELECT a.name, a.contact INTO name, contact FROM proposal_author a WHERE a.proposal_id = p_id;
    INSERT INTO moderation_log (proposal_id, municipality_code, action, actor, reason, data)
    VALUES (p_id, mun, 'contact', actor, why, jsonb_build_object('has_contact', contact IS NOT NULL));
    RETURN NEXT;
END $$;
