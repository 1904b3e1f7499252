-- The participation settings of commune $1 (defaults when never set).
SELECT json_build_object('municipality_code', $1::text, 'mode', s.mode, 'report_threshold', s.report_threshold)::text
FROM mk_participation_setting($1) s
