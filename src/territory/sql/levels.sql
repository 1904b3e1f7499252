-- The known levels, state hierarchy first, shallow to deep.
SELECT level FROM admin_level ORDER BY hierarchy = 'municipal', hierarchy, depth
