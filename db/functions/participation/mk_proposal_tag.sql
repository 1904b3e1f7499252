-- Tag a proposal when it is written (mk_participation_tags with the project type of its theme),
-- and on insert put it in the moderation queue when its commune moderates first.
CREATE OR REPLACE FUNCTION mk_proposal_tag() RETURNS trigger
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    t record;
BEGIN
    IF TG_OP = 'INSERT' OR NEW.geom IS DISTINCT FROM OLD.geom OR NEW.theme IS DISTINCT FROM OLD.theme THEN
        SELECT * INTO t FROM mk_participation_tags(
            NEW.geom, (SELECT th.project_type FROM proposal_theme th WHERE th.theme = NEW.theme));
        NEW.municipality_code := t.municipality_code;
        NEW.delegation_code := t.delegation_code;
        NEW.zone_id := t.zone_id;
        NEW.landuse_class := t.landuse_class;
        NEW.conformity_hint := t.conformity_hint;
    END IF;
    IF TG_OP = 'INSERT' THEN
        NEW.awaiting_moderation := (SELECT s.mode = 'moderate_first' FROM mk_participation_setting(NEW.municipality_code) s);
    END IF;
    RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER proposal_tag BEFORE INSERT OR UPDATE ON proposal
    FOR EACH ROW EXECUTE FUNCTION mk_proposal_tag();
