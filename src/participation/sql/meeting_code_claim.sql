-- Use a meeting participant code ($1 hash) for participant $2: the first participant owns it.
UPDATE meeting_code SET participant_sha256 = $2, used_at = coalesce(used_at, now())
WHERE code_sha256 = $1 AND (participant_sha256 IS NULL OR participant_sha256 = $2)
RETURNING meeting_id
