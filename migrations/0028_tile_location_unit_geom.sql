-- The `projects` tiles draw a location that stands for a unit (precision municipality, delegation
-- or governorate) as that unit's polygon; one without a unit code stands for the unit holding it
-- (src/tiles/sql.rs). Those are few, but the join found them through the spatial index of every
-- location: at 100,000 locations, ~900 index entries read for each unit a low-zoom tile holds
-- (docs/scale.md). This index holds just them.
CREATE INDEX tile_project_location_unit_geom ON project_location USING gist (geom)
    WHERE unit_code IS NULL AND precision IN ('municipality', 'delegation', 'governorate');
