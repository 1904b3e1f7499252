-- A meeting ($1 commune, $2 zone code, $3 held at, $4 place name, $5 place GeoJSON point, $6 agenda,
-- $7 minutes, $8 author) with its attendance ($9), ranked priorities ($10), delegates ($11) as
-- JSON arrays, and the hashes of its participant codes ($12).
WITH m AS (
    INSERT INTO meeting (municipality_code, zone_id, held_at, place_name, geom, agenda, minutes, created_by)
    VALUES ($1, (SELECT z.id FROM participation_zone z WHERE z.municipality_code = $1 AND z.code = $2),
            $3, $4, ST_SetSRID(ST_GeomFromGeoJSON($5), 4326), $6, $7, $8)
    RETURNING id
), a AS (
    INSERT INTO meeting_attendance (meeting_id, sex, age_band, count)
    SELECT m.id, x.sex, x.age_band, x.count FROM m, jsonb_to_recordset($9) AS x(sex text, age_band text, count int)
), p AS (
    INSERT INTO meeting_priority (meeting_id, rank, label, proposal_id, votes)
    SELECT m.id, x.rank, x.label, x.proposal_id, x.votes
    FROM m, jsonb_to_recordset($10) AS x(rank int, label text, proposal_id bigint, votes int)
), d AS (
    INSERT INTO meeting_delegate (meeting_id, name, sex, consent_public)
    SELECT m.id, x.name, x.sex, coalesce(x.consent_public, false)
    FROM m, jsonb_to_recordset($11) AS x(name text, sex text, consent_public boolean)
), c AS (
    INSERT INTO meeting_code (code_sha256, meeting_id) SELECT h, m.id FROM m, unnest($12::text[]) h
)
SELECT id FROM m
