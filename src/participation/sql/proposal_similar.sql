-- Possible duplicates of proposal $1: public proposals of the same theme within $2 metres that are
-- still open, nearest first.
SELECT coalesce(json_agg(s ORDER BY s.distance_m, s.id), '[]')::text
FROM (
    SELECT q.id, q.title, q.state, q.theme,
           round(ST_Distance(q.geom::geography, p.geom::geography))::int AS distance_m, q.supports
    FROM proposal p
    JOIN proposal_public q ON q.id <> p.id AND q.theme = p.theme AND q.state NOT IN ('withdrawn', 'merged')
                           AND ST_DWithin(q.geom::geography, p.geom::geography, $2)
    WHERE p.id = $1
    ORDER BY 5, 1
    LIMIT 10
) s
