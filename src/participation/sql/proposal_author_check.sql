-- Does the edit token hash $2 belong to proposal $1? (No row: no such proposal.)
SELECT edit_token_sha256 = $2 AS ok FROM proposal WHERE id = $1
