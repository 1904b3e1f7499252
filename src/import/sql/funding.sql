-- Funding lines, one per (project, source kind, funder): changed amounts updated, new lines inserted.
WITH input AS (
    SELECT p.id AS project_id, t.kind, t.funder, t.amount::numeric(18, 3) AS amount, t.currency,
           t.amount_tnd::numeric(18, 3) AS amount_tnd
    FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
         AS t(code, kind, funder, amount, currency, amount_tnd)
    JOIN project p ON p.code = t.code
), upd AS (
    UPDATE funding_line f
    SET amount = i.amount, currency = i.currency, amount_tnd = i.amount_tnd
    FROM input i
    WHERE f.project_id = i.project_id AND f.source_kind = i.kind AND f.funder IS NOT DISTINCT FROM i.funder
      AND (f.amount, f.currency, f.amount_tnd) IS DISTINCT FROM (i.amount, i.currency, i.amount_tnd)
    RETURNING f.project_id
), ins AS (
    INSERT INTO funding_line (project_id, source_kind, funder, amount, currency, amount_tnd)
    SELECT i.project_id, i.kind, i.funder, i.amount, i.currency, i.amount_tnd
    FROM input i
    WHERE NOT EXISTS (SELECT 1 FROM funding_line f
                      WHERE f.project_id = i.project_id AND f.source_kind = i.kind
                        AND f.funder IS NOT DISTINCT FROM i.funder)
    RETURNING project_id
)
SELECT project_id FROM upd UNION SELECT project_id FROM ins
