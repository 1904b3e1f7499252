-- Set the disclosure level $2 of project $1's locations whose source id is in $3 (NULL: all).
-- Returns the project's locations with their levels, and the first of $3 that is not one of them
-- (then the caller rolls back). The trigger location_disclose recomputes public_geom; the tile
-- and features notifications drop what showed the old geometry.
WITH upd AS (
    UPDATE project_location l SET disclosure = $2
    WHERE l.project_id = $1 AND ($3::text[] IS NULL OR l.source_id = ANY ($3))
      AND l.disclosure IS DISTINCT FROM $2
    RETURNING l.id
)
SELECT json_build_object(
    'project', (SELECT p.code FROM project p WHERE p.id = $1),
    'changed', (SELECT count(*) FROM upd),
    'locations', (SELECT coalesce(json_agg(json_build_object(
                      'source_id', l.source_id,
                      'disclosure', CASE WHEN l.id IN (SELECT id FROM upd) THEN $2 ELSE l.disclosure END)
                      ORDER BY l.source_id), '[]')
                  FROM project_location l WHERE l.project_id = $1))::text,
       (SELECT s FROM unnest($3::text[]) s
        WHERE NOT EXISTS (SELECT 1 FROM project_location l WHERE l.project_id = $1 AND l.source_id = s)
        LIMIT 1)
