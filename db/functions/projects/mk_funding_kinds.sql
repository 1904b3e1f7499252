-- The funding kinds the schema accepts (read from funding_line's CHECK constraint, so the API
-- and the table cannot disagree).
CREATE OR REPLACE FUNCTION mk_funding_kinds() RETURNS text[]
LANGUAGE sql STABLE AS $$
SELECT array(SELECT m[1] FROM pg_constraint c, regexp_matches(pg_get_constraintdef(c.oid), '''([a-z_]+)''', 'g') m
             WHERE c.conrelid = 'funding_line'::regclass AND c.contype = 'c'
               AND pg_get_constraintdef(c.oid) LIKE '%source_kind%')
$$;
