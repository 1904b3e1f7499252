-- A new proposal ($1 theme, $2 lang, $3 title, $4 body, $5 address, $6 GeoJSON, $7 edit token
-- hash, $8 participant hash) and, when given, its private author row ($9 name, $10 contact).
-- The tags and the moderation flag are set by the trigger mk_proposal_tag; returns the id and the
-- author's receipt (mk_proposal_submit_receipt, which refuses a place outside every municipality:
-- the whole statement is undone) in one statement, its own transaction.
-- Its commit does not wait for the WAL flush (synchronous_commit off for this transaction only):
-- the tile trigger's NOTIFY holds a cluster-wide lock from commit until the transaction ends, so a
-- flush under it serialised every submission (~4 ms each). The handler answers only after
-- proposal_flush.sql, whose own commit flushes the WAL up to and past this one: an acknowledged
-- proposal is on disk, and the flushes of concurrent submissions are grouped.
WITH p AS (
    INSERT INTO proposal (theme, lang, title, body, address, geom, edit_token_sha256, participant_sha256)
    VALUES ($1, $2, $3, $4, $5, ST_SetSRID(ST_GeomFromGeoJSON($6), 4326), $7, $8)
    RETURNING *
), a AS (
    INSERT INTO proposal_author (proposal_id, name, contact)
    SELECT p.id, $9, $10 FROM p WHERE $9::text IS NOT NULL OR $10::text IS NOT NULL
)
SELECT p.id, mk_proposal_submit_receipt(ROW(p.*)::proposal), set_config('synchronous_commit', 'off', true) FROM p
