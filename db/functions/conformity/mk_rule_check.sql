-- Called by the trigger conformity_rule_check on conformity_rule (created by migration 0005).
CREATE OR REPLACE FUNCTION mk_rule_check() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    IF NEW.class <> 'outside' AND NOT EXISTS (SELECT 1 FROM landuse_class c WHERE c.class = NEW.class) THEN
        RAISE EXCEPTION 'unknown land-use class %: use one of the landuse_class classes or outside', NEW.class
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF btrim(NEW.project_type) = '' THEN
        RAISE EXCEPTION 'empty project type' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
