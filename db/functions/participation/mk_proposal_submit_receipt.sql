-- The receipt of a proposal being submitted (mk_proposal_receipt), or the refusal of a place outside
-- every municipality (SQLSTATE MK400, its message saying what to do: answered 400 by the submission
-- handler). Raised inside the submitting statement, the refusal undoes the insert without a
-- transaction of its own: one round trip less a submission (bench/participation/README.md).
CREATE OR REPLACE FUNCTION mk_proposal_submit_receipt(p proposal) RETURNS text
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF p.municipality_code IS NULL THEN
        RAISE EXCEPTION 'the place is outside every municipality: put the point inside the commune / المكان خارج حدود البلديات'
            USING ERRCODE = 'MK400';
    END IF;
    RETURN mk_proposal_receipt(p);
END $$;
