-- The participation settings of a commune: its row, or the defaults (publish first, hidden at 3
-- reports) when the commune never changed them.
CREATE OR REPLACE FUNCTION mk_participation_setting(code text)
RETURNS TABLE (mode text, report_threshold int)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(s.mode, 'publish_first'), coalesce(s.report_threshold, 3)
    FROM (SELECT 1) one LEFT JOIN participation_setting s ON s.municipality_code = code
$$;
