-- The possible duplicates of a proposal (mk_proposal_similar) are public proposals only: the
-- index of their places skips the proposals the public does not see (waiting in a moderate-first
-- commune, or hidden; the rule of mk_proposal_public), which the query otherwise read one by one
-- around every new submission, a queue of thousands during a consultation
-- (bench/participation/README.md). It replaces the index of every proposal's place, which only
-- that query used.
DROP INDEX IF EXISTS proposal_geography;
CREATE INDEX proposal_public_geography ON proposal USING gist ((geom::geography))
    WHERE NOT hidden AND NOT awaiting_moderation;
