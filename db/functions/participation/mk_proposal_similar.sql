-- Possible duplicates of a proposal (id p_id, place g, theme th): public proposals of the same
-- theme within p_metres that are still open, nearest first, at most 10, as a JSON array. Given the
-- place and theme rather than the id, so that the submitting INSERT returns them from its own
-- RETURNING (one round trip a submission); `GET …/proposals/{id}/similar` passes the stored row.
-- PL/pgSQL: the statement's plan is kept by the session.
CREATE OR REPLACE FUNCTION mk_proposal_similar(p_id bigint, g geometry, th text, p_metres float8)
RETURNS text LANGUAGE plpgsql STABLE SET jit = off AS $$
BEGIN
    RETURN (
        SELECT coalesce(json_agg(s ORDER BY s.distance_m, s.id), '[]')::text
        FROM (
            SELECT q.id, q.title, q.state, q.theme,
                   round(ST_Distance(q.geom::geography, g::geography))::int AS distance_m, q.supports
            FROM proposal_public q
            WHERE q.id <> p_id AND q.theme = th AND q.state NOT IN ('withdrawn', 'merged')
              AND ST_DWithin(q.geom::geography, g::geography, p_metres)
            ORDER BY 5, 1
            LIMIT 10
        ) s);
END $$;
