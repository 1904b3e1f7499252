-- The commune of plan $1.
SELECT municipality_code FROM plan WHERE id = $1
