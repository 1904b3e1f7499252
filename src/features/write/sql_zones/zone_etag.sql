-- The version tag and commune of participation zone $1.
SELECT md5(t::text) AS etag, t.municipality_code FROM participation_zone t WHERE t.id = $1
