-- A new draft version of plan $1 by $2 (rules in db/functions/participation/mk_plan_revise.sql).
SELECT mk_plan_revise($1, $2)
