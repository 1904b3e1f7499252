-- The lifecycle statuses and their names, to say a project's status history in words.
SELECT s.status, s.name_fr, s.name_ar FROM project_status s ORDER BY s.rank
