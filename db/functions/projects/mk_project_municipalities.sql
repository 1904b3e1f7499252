-- The municipalities a project's locations lie in now, from the assignment rule (points: the unit
-- containing them, on a shared boundary the lowest code; lines and polygons: length or area
-- shares). A municipality that holds less than 1 % of a location is not counted (boundary
-- digitising noise); '' stands for the part outside every municipality (or a location with no
-- municipality: national, coarser precision). A planner key may edit the project when every one
-- of them is one of its municipalities (auth::Caller::can_edit_project).
CREATE OR REPLACE FUNCTION mk_project_municipalities(pid bigint) RETURNS text[]
LANGUAGE sql STABLE AS $$
SELECT coalesce(array_agg(DISTINCT coalesce(a.unit_code, '') ORDER BY coalesce(a.unit_code, '')), '{}')
FROM location_assignment a
WHERE a.project_id = pid AND a.valid_to IS NULL AND a.level = 'municipality' AND a.share >= 0.01
$$;
