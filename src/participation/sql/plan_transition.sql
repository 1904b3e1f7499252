-- $1 plan, $2 status, $3 adopted on, $4 deliberation reference. See mk_plan_transition.
SELECT mk_plan_transition($1, $2, $3, $4)
