-- A new proposal ($1 theme, $2 lang, $3 title, $4 body, $5 address, $6 GeoJSON, $7 edit token
-- hash, $8 participant hash) and, when given, its private author row ($9 name, $10 contact), in one
-- statement, its own transaction: one round trip a submission. The place is read and checked by
-- mk_proposal_geom, the tags and the moderation flag are set by the trigger mk_proposal_tag; it
-- returns the id, the author's receipt (mk_proposal_submit_receipt) and the possible duplicates
-- within $11 metres (mk_proposal_similar). An unreadable or invalid place, or one outside every
-- municipality, is refused with SQLSTATE MK400 and the whole statement is undone.
-- Its commit does not wait for the WAL flush (synchronous_commit off for this transaction only):
-- the tile trigger's NOTIFY holds a cluster-wide lock from commit until the transaction ends, so a
-- flush under it serialised every submission (~4 ms each). The handler answers only after
-- proposal_flush.sql, whose own commit flushes the WAL up to and past this one: an acknowledged
-- proposal is on disk, and the flushes of concurrent submissions are grouped.
WITH p AS (
    INSERT INTO proposal (theme, lang, title, body, address, geom, edit_token_sha256, participant_sha256)
    VALUES ($1, $2, $3, $4, $5, mk_proposal_geom($6), $7, $8)
    RETURNING *
), a AS (
    INSERT INTO proposal_author (proposal_id, name, contact)
    SELECT p.id, $9, $10 FROM p WHERE $9::text IS NOT NULL OR $10::text IS NOT NULL
)
SELECT mk_proposal_submit_receipt(ROW(p.*)::proposal), mk_proposal_similar(p.id, p.geom, p.theme, $11),
       set_config('synchronous_commit', 'off', true)
FROM p
