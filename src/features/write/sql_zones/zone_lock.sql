-- The version tag of participation zone $1, locked for the write that follows.
SELECT md5(t::text) FROM participation_zone t WHERE t.id = $1 FOR UPDATE
