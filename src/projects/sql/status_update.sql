-- A status change: works starting or received set the actual dates when they are not known yet.
UPDATE project
SET status       = $2,
    actual_start = CASE WHEN $2 = 'works_under_way' THEN coalesce(actual_start, $3::date) ELSE actual_start END,
    actual_end   = CASE WHEN $2 = 'completed' THEN coalesce(actual_end, $3::date) ELSE actual_end END,
    updated_at   = now(),
    revision     = revision + 1
WHERE id = $1
