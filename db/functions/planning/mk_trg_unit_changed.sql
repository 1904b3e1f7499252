-- Called by the triggers planning_unit_delete, planning_unit_insert, planning_unit_update on
-- admin_unit (created by migration 0005).
CREATE OR REPLACE FUNCTION mk_trg_unit_changed() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM mk_mask_stale(array(SELECT DISTINCT 'level:' || level FROM new_rows));
        PERFORM mk_pieces_add(array(SELECT id FROM new_rows WHERE valid_to IS NULL));
        INSERT INTO assignment_queue (level, added, codes)
        SELECT level, array_agg(id), array_agg(DISTINCT code) FROM new_rows WHERE valid_to IS NULL GROUP BY level;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM mk_mask_stale(array(SELECT DISTINCT 'level:' || level FROM old_rows));
        DELETE FROM admin_unit_piece p USING old_rows o WHERE p.unit_id = o.id;
        INSERT INTO assignment_queue (level, gone, codes)
        SELECT level, array_agg(id), array_agg(DISTINCT code) FROM old_rows WHERE valid_to IS NULL GROUP BY level;
    ELSE
        PERFORM mk_scratch('mk_unit_change', 'mk_unit_change_row');
        INSERT INTO mk_unit_change
        SELECT n.id, n.level, o.level, n.code, o.code,
               o.valid_to IS NULL AND (n.valid_to IS NOT NULL OR changed),
               n.valid_to IS NULL AND (o.valid_to IS NOT NULL OR changed)
        FROM new_rows n JOIN old_rows o ON o.id = n.id,
             LATERAL (SELECT (n.geom, n.code, n.level, n.version, n.parent_code) IS DISTINCT FROM
                             (o.geom, o.code, o.level, o.version, o.parent_code) AS changed) c;
        PERFORM mk_mask_stale(array(SELECT DISTINCT 'level:' || x FROM mk_unit_change c, unnest(ARRAY[c.level, c.old_level]) x
                                    WHERE c.gone OR c.added));
        DELETE FROM admin_unit_piece p USING mk_unit_change c WHERE p.unit_id = c.id AND c.gone;
        PERFORM mk_pieces_add(array(SELECT id FROM mk_unit_change WHERE added));
        INSERT INTO assignment_queue (level, gone, added, codes)
        SELECT x.level, coalesce(array_agg(x.id) FILTER (WHERE x.gone), '{}'), coalesce(array_agg(x.id) FILTER (WHERE x.added), '{}'),
               array_agg(DISTINCT x.code)
        FROM (SELECT c.id, c.old_level AS level, c.old_code AS code, c.gone, false AS added FROM mk_unit_change c WHERE c.gone
              UNION ALL
              SELECT c.id, c.level, c.code, false, c.added FROM mk_unit_change c WHERE c.added) x
        GROUP BY x.level;
    END IF;
    RETURN NULL;
END $$;
