-- A new proposal ($1 theme, $2 lang, $3 title, $4 body, $5 address, $6 GeoJSON, $7 edit token
-- hash, $8 participant hash) and, when given, its private author row ($9 name, $10 contact).
-- The tags and the moderation flag are set by the trigger mk_proposal_tag; returns the id, the
-- commune and the author's receipt (mk_proposal_receipt) in the same round trip.
WITH p AS (
    INSERT INTO proposal (theme, lang, title, body, address, geom, edit_token_sha256, participant_sha256)
    VALUES ($1, $2, $3, $4, $5, ST_SetSRID(ST_GeomFromGeoJSON($6), 4326), $7, $8)
    RETURNING *
), a AS (
    INSERT INTO proposal_author (proposal_id, name, contact)
    SELECT p.id, $9, $10 FROM p WHERE $9::text IS NOT NULL OR $10::text IS NOT NULL
)
SELECT p.id, p.municipality_code, mk_proposal_receipt(ROW(p.*)::proposal) FROM p
