-- The changed rows of the statement: new, old or both, by operation (transition tables).
CREATE OR REPLACE FUNCTION mk_changed_rows(op text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE op WHEN 'INSERT' THEN 'SELECT * FROM new_rows'
                 WHEN 'DELETE' THEN 'SELECT * FROM old_rows'
                 ELSE 'SELECT * FROM new_rows UNION ALL SELECT * FROM old_rows' END
$$;
