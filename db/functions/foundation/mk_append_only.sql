-- Called by the trigger project_event_append_only on project_event (created by migration 0001).
CREATE OR REPLACE FUNCTION mk_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'project_event is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
