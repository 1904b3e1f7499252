-- Re-tag the proposals a participation zone change touches (mk_proposal_retag); called by the
-- statement triggers below, once per import or edit.
CREATE OR REPLACE FUNCTION mk_proposal_retag_zones() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM mk_proposal_retag(ARRAY(
            SELECT p.id FROM new_rows z JOIN proposal p ON ST_Intersects(p.geom, z.geom)));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM mk_proposal_retag(ARRAY(
            SELECT p.id FROM new_rows z JOIN proposal p ON ST_Intersects(p.geom, z.geom)
            UNION SELECT p.id FROM old_rows z JOIN proposal p ON ST_Intersects(p.geom, z.geom) OR p.zone_id = z.id));
    ELSE
        PERFORM mk_proposal_retag(ARRAY(
            SELECT p.id FROM old_rows z JOIN proposal p ON ST_Intersects(p.geom, z.geom)));
    END IF;
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER participation_zone_retag_ins AFTER INSERT ON participation_zone
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_proposal_retag_zones();
CREATE OR REPLACE TRIGGER participation_zone_retag_upd AFTER UPDATE ON participation_zone
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_proposal_retag_zones();
CREATE OR REPLACE TRIGGER participation_zone_retag_del AFTER DELETE ON participation_zone
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_proposal_retag_zones();
