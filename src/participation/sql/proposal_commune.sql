-- The commune of proposal $1 (whatever its visibility), to check a moderator's scope.
SELECT municipality_code FROM proposal WHERE id = $1
