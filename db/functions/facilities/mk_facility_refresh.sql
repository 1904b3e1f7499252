-- Refresh the facility figures of current units `unit_ids` (NULL: all current units);
-- `settlements`: recompute their main settlement too.
CREATE OR REPLACE FUNCTION mk_facility_refresh(unit_ids bigint[], settlements boolean) RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    IF unit_ids IS NULL THEN
        unit_ids := array(SELECT id FROM admin_unit WHERE valid_to IS NULL);
    END IF;
    DELETE FROM unit_settlement s WHERE s.unit_id NOT IN (SELECT id FROM admin_unit WHERE valid_to IS NULL);
    DELETE FROM unit_facility f WHERE f.unit_id NOT IN (SELECT id FROM admin_unit WHERE valid_to IS NULL);
    unit_ids := array(SELECT u.id FROM admin_unit u JOIN unnest(unit_ids) AS i(id) ON i.id = u.id WHERE u.valid_to IS NULL);
    IF settlements THEN
        DELETE FROM unit_settlement s USING unnest(unit_ids) AS i(id) WHERE s.unit_id = i.id;
        INSERT INTO unit_settlement SELECT * FROM mk_settlement_compute(unit_ids);
    END IF;
    DELETE FROM unit_facility f USING unnest(unit_ids) AS i(id) WHERE f.unit_id = i.id;
    INSERT INTO unit_facility SELECT * FROM mk_facility_compute(unit_ids);
END $$;
