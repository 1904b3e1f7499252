-- project, funding_line, project_event: the boxes of the locations of the projects they touch
-- (the trigger's argument names the column holding the project id).
-- Called by the triggers tile_notify_del, tile_notify_ins, tile_notify_upd on funding_line,
-- project, project_event (created by migration 0002).
CREATE OR REPLACE FUNCTION mk_tile_notify_project() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    boxes box2d[];
BEGIN
    EXECUTE format(
        'SELECT array_agg(mk_location_box(pl)) FROM project_location pl
         WHERE pl.project_id IN (SELECT %I FROM (%s) c)', TG_ARGV[0], mk_changed_rows(TG_OP))
    INTO boxes;
    -- no changed row: an empty list, which sends nothing (NULL would mean the whole source)
    PERFORM mk_tile_notify(ARRAY['projects'], coalesce(boxes, '{}'));
    RETURN NULL;
END $$;
