-- The `indicators` tile source draws the municipalities with their planning figures (population,
-- projects, budget per inhabitant, execution rate, delays: src/tiles/source.rs), read from
-- unit_indicator and population. When those rows change, the indicator tiles of the
-- municipalities they describe are dropped, like any other change a tile reads (migration 0002).
-- TG_ARGV[0] is the column holding the unit code.
-- Called by the triggers tile_population_delete, tile_population_insert, tile_population_update on
-- population; tile_unit_indicator_delete, tile_unit_indicator_insert, tile_unit_indicator_update on
-- unit_indicator (created by migration 0008).
CREATE OR REPLACE FUNCTION mk_tile_notify_unit_figures() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    FOR r IN EXECUTE format(
        'SELECT ''indicators'' AS source, array_agg(Box2D(u.geom_3857)) AS boxes
         FROM (SELECT DISTINCT c.level, c.%I AS code FROM (%s) c) c
         JOIN admin_unit u ON u.level = c.level AND u.code = c.code AND u.valid_to IS NULL
         WHERE u.level = ''municipality'' HAVING count(*) > 0', TG_ARGV[0], mk_changed_rows(TG_OP))
    LOOP
        PERFORM mk_tile_notify(ARRAY[r.source], r.boxes);
    END LOOP;
    RETURN NULL;
END $$;
