-- Recompute the cached indicator rows `keys` ('level|bucket'), and the national row.
-- Takes the write lock (mk_write_lock) first.
CREATE OR REPLACE FUNCTION mk_indicators_refresh(keys text[]) RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    lv text;
    buckets text[];
BEGIN
    IF keys IS NULL OR cardinality(keys) = 0 THEN
        RETURN;
    END IF;
    PERFORM mk_write_lock();
    FOR lv IN SELECT DISTINCT split_part(k, '|', 1) FROM unnest(keys) AS k ORDER BY 1 LOOP
        buckets := array(SELECT DISTINCT substr(k, length(lv) + 2) FROM unnest(keys) AS k WHERE split_part(k, '|', 1) = lv);
        DELETE FROM unit_indicator u WHERE u.level = lv AND u.bucket IN (SELECT unnest(buckets));
        INSERT INTO unit_indicator (level, bucket, unit_code, reason, project_count, budget_tnd, beneficiaries,
                                    committed_tnd, paid_tnd, projects_with_progress, delayed_count, blocked_count,
                                    by_theme, by_status, by_funding)
        SELECT * FROM mk_indicators_compute(lv, buckets, NULL);
    END LOOP;
    DELETE FROM unit_indicator u WHERE u.level = 'national';
    INSERT INTO unit_indicator (level, bucket, unit_code, reason, project_count, budget_tnd, beneficiaries,
                                committed_tnd, paid_tnd, projects_with_progress, delayed_count, blocked_count,
                                by_theme, by_status, by_funding)
    SELECT * FROM mk_indicators_compute('national', NULL, NULL);
END $$;
