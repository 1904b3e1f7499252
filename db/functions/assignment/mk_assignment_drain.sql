-- Reassign what the queued unit changes touch: locations assigned to a unit version that went,
-- locations within the box of a unit version that came, locations declaring a changed code, and
-- locations without any row at the level (a level loaded for the first time).
-- Called by the trigger planning_unit_reassign on admin_unit (created by migration 0005).
CREATE OR REPLACE FUNCTION mk_assignment_drain() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    lv text;
    gone_ids bigint[];
    added_ids bigint[];
    codes_ text[];
    loc_ids bigint[];
    projects bigint[] := '{}';
    retag_units bigint[] := '{}';
    retag_codes text[] := '{}';
BEGIN
    IF NOT EXISTS (SELECT 1 FROM assignment_queue) THEN
        RETURN NULL;
    END IF;
    FOR lv IN SELECT DISTINCT level FROM assignment_queue LOOP
        gone_ids := array(SELECT DISTINCT x FROM assignment_queue q, unnest(q.gone) x WHERE q.level = lv);
        added_ids := array(SELECT DISTINCT x FROM assignment_queue q, unnest(q.added) x WHERE q.level = lv);
        codes_ := array(SELECT DISTINCT x FROM assignment_queue q, unnest(q.codes) x WHERE q.level = lv);
        loc_ids := array(
            SELECT a.location_id FROM location_assignment a
            WHERE a.valid_to IS NULL AND a.level = lv AND a.unit_id IN (SELECT unnest(gone_ids))
            UNION
            SELECT l.id FROM admin_unit_piece p JOIN project_location l ON l.geom && p.geom
            WHERE p.unit_id IN (SELECT unnest(added_ids))
            UNION
            SELECT l.id FROM project_location l WHERE l.precision = lv AND l.unit_code IN (SELECT unnest(codes_))
            UNION
            SELECT l.id FROM project_location l
            WHERE NOT EXISTS (SELECT 1 FROM location_assignment a
                              WHERE a.location_id = l.id AND a.level = lv AND a.valid_to IS NULL));
        projects := projects || mk_assign_apply(loc_ids, ARRAY[lv]);
        IF lv IN ('municipality', 'delegation') THEN
            -- the governorate of a location declared at this level follows its unit
            projects := projects || mk_assign_apply(array(
                SELECT l.id FROM project_location l WHERE l.precision = lv AND l.unit_code IN (SELECT unnest(codes_))),
                ARRAY['governorate']);
        END IF;
        PERFORM mk_facility_refresh(added_ids, true);
        IF lv IN ('municipality', 'delegation') THEN
            retag_units := retag_units || gone_ids || added_ids;
            retag_codes := retag_codes || codes_;
        END IF;
    END LOOP;
    DELETE FROM assignment_queue;
    -- the proposals whose municipality or delegation may have changed are tagged again (issue 11)
    PERFORM mk_proposal_retag_near(array(SELECT u.geom FROM admin_unit u WHERE u.id = ANY (retag_units)), retag_codes);
    PERFORM mk_project_refresh(projects);
    RETURN NULL;
END $$;
