-- Rules that are not in the new matrix.
DELETE FROM conformity_rule r
WHERE NOT EXISTS (SELECT 1 FROM UNNEST($1::text[], $2::text[]) AS i(project_type, class)
                  WHERE i.project_type = r.project_type AND i.class = r.class)
