-- The new matrix: new rules inserted, changed ones updated (returns true for an insert).
INSERT INTO conformity_rule AS r (project_type, class, outcome, note_fr, note_ar, updated_at, updated_by)
SELECT i.project_type, i.class, i.outcome, i.note_fr, i.note_ar, now(), $6
FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS i(project_type, class, outcome, note_fr, note_ar)
ON CONFLICT (project_type, class) DO UPDATE
SET outcome = EXCLUDED.outcome, note_fr = EXCLUDED.note_fr, note_ar = EXCLUDED.note_ar,
    updated_at = now(), updated_by = EXCLUDED.updated_by
WHERE (r.outcome, r.note_fr, r.note_ar) IS DISTINCT FROM (EXCLUDED.outcome, EXCLUDED.note_fr, EXCLUDED.note_ar)
RETURNING (xmax = 0)
