-- The private name and contact of proposal $1's author, read by moderator $2 for reason $3 (logged
-- by mk_proposal_contact). Only the moderators' contact endpoint runs this.
SELECT name, contact FROM mk_proposal_contact($1, $2, $3)
