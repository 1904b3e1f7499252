-- Title ($2), envelope ($3) of plan $1 (NULL keeps the value).
UPDATE plan SET title = coalesce($2, title), envelope_tnd = coalesce($3, envelope_tnd), updated_at = now()
WHERE id = $1
