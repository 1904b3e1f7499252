-- ---- facilities: counts and distances of every unit (settlements only when town halls change)
-- Called by the triggers planning_facility_delete, planning_facility_insert,
-- planning_facility_update on facility (created by migration 0005).
CREATE OR REPLACE FUNCTION mk_trg_facility_changed() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    townhalls boolean;
BEGIN
    IF TG_OP = 'INSERT' THEN
        townhalls := EXISTS (SELECT 1 FROM new_rows WHERE subtype = 'townhall');
    ELSIF TG_OP = 'DELETE' THEN
        townhalls := EXISTS (SELECT 1 FROM old_rows WHERE subtype = 'townhall');
    ELSE
        townhalls := EXISTS (SELECT 1 FROM new_rows WHERE subtype = 'townhall')
                  OR EXISTS (SELECT 1 FROM old_rows WHERE subtype = 'townhall');
    END IF;
    PERFORM mk_facility_refresh(NULL, townhalls);
    RETURN NULL;
END $$;
