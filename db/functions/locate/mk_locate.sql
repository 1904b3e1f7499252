-- /api/locate for current units, as a function so that its plan is prepared once per connection.
-- With bound coordinates PostgreSQL re-plans the query on every call (PostGIS selectivity makes the
-- generic plan look dearer than it is) and planning costs as much as running it; the function's
-- SET clause keeps one generic plan per session: 1.6-1.9x more locate/s measured with pgbench.
--
-- Reads admin_unit_piece (current units cut into pieces of at most 64 vertices, migration 0004).
-- Shared boundaries: ST_Intersects (a boundary point is inside), then per level the lowest code in
-- byte order ("C" collation) wins: one unit per level, always the same. Rows come ordered: the
-- state hierarchy shallow to deep (governorate, delegation, sector), then the municipal one.
CREATE OR REPLACE FUNCTION mk_locate(lon float8, lat float8)
RETURNS TABLE (level text, code text, name_ar text, name_fr text, name_en text, version int, parent_code text)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT a.level, a.code, a.name_ar, a.name_fr, a.name_en, a.version, a.parent_code
    FROM (
        SELECT DISTINCT ON (p.level) p.level, p.code, p.unit_id
        FROM admin_unit_piece p
        WHERE ST_Intersects(p.geom, ST_SetSRID(ST_MakePoint(lon, lat), 4326))
        ORDER BY p.level, p.code COLLATE "C"
    ) p
    JOIN admin_unit a ON a.id = p.unit_id
    JOIN admin_level l ON l.level = p.level
    ORDER BY l.hierarchy = 'municipal', l.hierarchy, l.depth;
END $$;
