-- The commune of comment $1's proposal (whatever their visibility), to check a moderator's scope.
SELECT p.municipality_code FROM proposal_comment c JOIN proposal p ON p.id = c.proposal_id WHERE c.id = $1
