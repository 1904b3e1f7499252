-- Overlay locations `ids` with the sets `sets`, into the session table mk_ov:
-- (loc_id, set_key, member_id, code, version, share, how, degenerate), how being point_in,
-- point_on_boundary (several members touch the point: the lowest code, by "C" collation, wins),
-- length, area, or outside (member_id NULL: the part in no member). Shares of a location in a set
-- sum to 1; where members overlap (shares over 1 in total) they are normalised. Shares are
-- measured on the sphere. Set-based in a few statements whatever the number of locations: points
-- are tested against the pieces with one point-in-polygon index per piece; a line or polygon in a
-- single member away from the set's edge needs no intersection; across members, the member it
-- meets most is given the rest, so only the others are intersected.
-- Masks serve only lines and polygons (points are tested against the pieces): the masks a batch
-- lacks are built only when it holds a line or a polygon; servers build the missing ones in the
-- background after start-up (mk_masks_warm).
CREATE OR REPLACE FUNCTION mk_overlay_run(ids bigint[], sets text[]) RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    n bigint;
BEGIN
    PERFORM mk_scratch('mk_ov', 'mk_ov_row');
    PERFORM mk_scratch('mk_ov_loc', 'mk_ov_loc_row');
    INSERT INTO mk_ov_loc
    SELECT l.id, l.geom, ST_Dimension(l.geom), ST_NumGeometries(l.geom),
           CASE ST_Dimension(l.geom) WHEN 1 THEN ST_Length(l.geom::geography, false)
                                     WHEN 2 THEN ST_Area(l.geom::geography, false) END
    FROM project_location l JOIN unnest(ids) AS i(id) ON i.id = l.id;

    -- points (and lines or polygons without length or area, by their point on surface)
    PERFORM mk_scratch('mk_ov_pt', 'mk_ov_pt_row');
    INSERT INTO mk_ov_pt
    SELECT l.id, '{}', l.geom, 1.0, false FROM mk_ov_loc l WHERE l.dim = 0 AND l.parts = 1
    UNION ALL
    SELECT l.id, d.path, d.geom, 1.0 / count(*) OVER (PARTITION BY l.id), l.dim > 0
    FROM mk_ov_loc l, ST_Dump(CASE WHEN l.dim = 0 THEN l.geom ELSE ST_PointOnSurface(l.geom) END) AS d
    WHERE (l.dim = 0 AND l.parts > 1) OR (l.dim > 0 AND NOT (l.total > 0));
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM mk_scratch('mk_ov_hit', 'mk_ov_hit_row');
    IF n > 500 THEN
        -- many points: walk the pieces, so that each piece's point-in-polygon index is built once
        CREATE INDEX ON mk_ov_pt USING gist (geom);
        ANALYZE mk_ov_pt;
        INSERT INTO mk_ov_hit
        SELECT DISTINCT x.id, x.path, p.set_key, p.member_id, p.code, p.version
        FROM overlay_piece p
        CROSS JOIN LATERAL (SELECT pt.id, pt.path FROM mk_ov_pt pt
                            WHERE pt.geom && p.geom AND ST_Intersects(p.geom, pt.geom)) x
        WHERE p.set_key = ANY (sets);
    ELSIF n > 0 THEN
        INSERT INTO mk_ov_hit
        SELECT DISTINCT pt.id, pt.path, p.set_key, p.member_id, p.code, p.version
        FROM mk_ov_pt pt JOIN overlay_piece p ON p.geom && pt.geom AND ST_Intersects(p.geom, pt.geom)
        WHERE p.set_key = ANY (sets);
    END IF;
    IF n > 0 THEN
        INSERT INTO mk_ov
        WITH pick AS (
            SELECT DISTINCT ON (h.id, h.path, h.set_key) h.id, h.path, h.set_key, h.member_id, h.code, h.version,
                   count(*) OVER (PARTITION BY h.id, h.path, h.set_key) AS candidates
            FROM mk_ov_hit h
            ORDER BY h.id, h.path, h.set_key, h.code COLLATE "C", h.member_id
        ), grid AS (
            SELECT pt.id, pt.path, pt.w, pt.degenerate, s.set_key FROM mk_ov_pt pt CROSS JOIN unnest(sets) AS s(set_key)
        )
        SELECT g.id, g.set_key, k.member_id, k.code, k.version, sum(g.w),
               CASE WHEN k.member_id IS NULL THEN 'outside' WHEN bool_or(k.candidates > 1) THEN 'point_on_boundary'
                    ELSE 'point_in' END,
               bool_or(g.degenerate)
        FROM grid g LEFT JOIN pick k ON k.id = g.id AND k.path = g.path AND k.set_key = g.set_key
        GROUP BY g.id, g.set_key, k.member_id, k.code, k.version;
    END IF;

    -- lines and polygons: the members they meet
    PERFORM mk_scratch('mk_ov_ext', 'mk_ov_loc_row');
    INSERT INTO mk_ov_ext SELECT * FROM mk_ov_loc WHERE dim > 0 AND total > 0;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n = 0 THEN
        RETURN;
    END IF;
    -- only lines and polygons use the masks (edge cells): build the missing ones now
    PERFORM mk_mask_build(array(SELECT s FROM unnest(sets) AS s
                                WHERE NOT EXISTS (SELECT 1 FROM overlay_mask_state m WHERE m.set_key = s AND m.fresh)));
    PERFORM mk_scratch('mk_ov_pair', 'mk_ov_pair_row');
    IF n > 500 THEN
        CREATE INDEX ON mk_ov_ext USING gist (geom);
        ANALYZE mk_ov_ext;
        INSERT INTO mk_ov_pair
        SELECT x.id, p.set_key, p.member_id, p.code, p.version, p.src, p.id
        FROM overlay_piece p
        CROSS JOIN LATERAL (SELECT e.id FROM mk_ov_ext e WHERE e.geom && p.geom AND ST_Intersects(p.geom, e.geom)) x
        WHERE p.set_key = ANY (sets);
    ELSE
        INSERT INTO mk_ov_pair
        SELECT e.id, p.set_key, p.member_id, p.code, p.version, p.src, p.id
        FROM mk_ov_ext e JOIN overlay_piece p ON p.geom && e.geom AND ST_Intersects(p.geom, e.geom)
        WHERE p.set_key = ANY (sets);
    END IF;
    CREATE INDEX ON mk_ov_ext (id);
    ANALYZE mk_ov_ext;
    ANALYZE mk_ov_pair;
    -- per (location, set, member): how many pieces; k members; the member met most (rn = 1);
    -- whether the location reaches the set's edge (then every part is measured)
    PERFORM mk_scratch('mk_ov_mem', 'mk_ov_mem_row');
    INSERT INTO mk_ov_mem
    WITH m AS (
        SELECT p.id, p.set_key, p.member_id, min(p.code) AS code, min(p.version) AS version, count(*) AS n
        FROM mk_ov_pair p GROUP BY p.id, p.set_key, p.member_id
    ), r AS (
        SELECT m.*, count(*) OVER w AS k, row_number() OVER (w ORDER BY m.n DESC, m.member_id) AS rn
        FROM m WINDOW w AS (PARTITION BY m.id, m.set_key)
    ), edge AS MATERIALIZED (
        SELECT DISTINCT e.id, c.set_key
        FROM mk_ov_ext e JOIN overlay_edge c ON c.geom && e.geom
        WHERE c.set_key = ANY (sets)
    )
    SELECT r.id, r.set_key, r.member_id, r.code, r.version, r.k, r.rn, x.id IS NOT NULL OR e.parts > 1
    FROM r JOIN mk_ov_ext e ON e.id = r.id LEFT JOIN edge x ON x.id = r.id AND x.set_key = r.set_key;
    ANALYZE mk_ov_mem;
    -- the parts to measure: every member but the first, or all of them at the edge
    PERFORM mk_scratch('mk_ov_part', 'mk_ov_part_row');
    INSERT INTO mk_ov_part
    SELECT x.id, x.set_key, x.member_id, x.code, x.version, sum(x.part) / min(x.total)
    FROM (SELECT m.id, m.set_key, m.member_id, m.code, m.version, e.total,
                 CASE WHEN e.dim = 1 THEN ST_Length(ST_Intersection(p.geom, e.geom)::geography, false)
                      ELSE ST_Area(ST_Intersection(p.geom, e.geom)::geography, false) END AS part
          FROM mk_ov_mem m
          JOIN mk_ov_pair pr ON pr.id = m.id AND pr.set_key = m.set_key AND pr.member_id = m.member_id
          JOIN mk_ov_ext e ON e.id = m.id
          JOIN overlay_piece p ON p.src = pr.src AND p.id = pr.piece
          WHERE m.k > 1 AND (m.rn > 1 OR m.edge)) x
    GROUP BY x.id, x.set_key, x.member_id, x.code, x.version;
    -- a single member at the edge: the part inside the set's mask
    INSERT INTO mk_ov_part
    SELECT x.id, x.set_key, x.member_id, x.code, x.version, least(coalesce(sum(x.part), 0) / min(x.total), 1.0)
    FROM (SELECT m.id, m.set_key, m.member_id, m.code, m.version, e.total,
                 CASE WHEN e.dim = 1 THEN ST_Length(ST_Intersection(k.geom, e.geom)::geography, false)
                      ELSE ST_Area(ST_Intersection(k.geom, e.geom)::geography, false) END AS part
          FROM mk_ov_mem m JOIN mk_ov_ext e ON e.id = m.id
          LEFT JOIN overlay_mask k ON k.set_key = m.set_key AND k.geom && e.geom AND ST_Intersects(k.geom, e.geom)
          WHERE m.k = 1 AND m.edge) x
    GROUP BY x.id, x.set_key, x.member_id, x.code, x.version;
    -- away from the edge: a single member holds it all; across members, the first holds the rest
    INSERT INTO mk_ov_part
    SELECT m.id, m.set_key, m.member_id, m.code, m.version,
           CASE WHEN m.k = 1 THEN 1.0 ELSE greatest(1.0 - coalesce(o.others, 0), 0) END
    FROM mk_ov_mem m
    LEFT JOIN (SELECT o.id, o.set_key, sum(o.share) AS others FROM mk_ov_part o GROUP BY o.id, o.set_key) o
           ON o.id = m.id AND o.set_key = m.set_key
    WHERE m.rn = 1 AND NOT m.edge;
    INSERT INTO mk_ov
    WITH tot AS (
        SELECT e.id, s.set_key, coalesce(sum(p.share) FILTER (WHERE p.share > 0), 0) AS covered
        FROM mk_ov_ext e CROSS JOIN unnest(sets) AS s(set_key)
        LEFT JOIN mk_ov_part p ON p.id = e.id AND p.set_key = s.set_key
        GROUP BY e.id, s.set_key
    )
    SELECT p.id, p.set_key, p.member_id, p.code, p.version, p.share / greatest(t.covered, 1.0),
           CASE e.dim WHEN 1 THEN 'length' ELSE 'area' END, false
    FROM mk_ov_part p JOIN tot t ON t.id = p.id AND t.set_key = p.set_key JOIN mk_ov_ext e ON e.id = p.id
    WHERE p.share > 0
    UNION ALL
    SELECT t.id, t.set_key, NULL, NULL, NULL, 1.0 - t.covered, 'outside', false FROM tot t WHERE t.covered < 1.0 - 1e-9;
END $$;
