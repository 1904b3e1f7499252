-- Dates ($3, $4) and outputs ($5, a JSON array) of stage $2 of plan $1.
UPDATE plan_stage SET starts_on = $3, ends_on = $4, outputs = $5
WHERE plan_id = $1 AND stage = $2
RETURNING stage
