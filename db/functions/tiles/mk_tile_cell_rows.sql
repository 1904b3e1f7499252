-- The locations the `projects` tiles draw for the caller scope (s_all, s_partner,
-- s_municipalities) whose geometry drawn (or, for a unit's polygon, its label point) meets `box`,
-- with the point placing each in its cell (mk_tile_cell_point): exact and approximate locations at
-- the geometry the scope reads (mk_location_geom), of the projects it may see (mk_project_visible);
-- locations standing for a current unit as that unit, unless withheld from the scope. The rows the
-- stored cells count (mk_tile_cells_store, anonymous scope); the same rows as the branches of
-- src/tiles/cells.rs, which tests/it/tile_cells.rs compares them with.
CREATE OR REPLACE FUNCTION mk_tile_cell_rows(box geometry, s_all boolean, s_partner text, s_municipalities text[])
RETURNS TABLE (location_id bigint, pt geometry) LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT pl.id, mk_tile_cell_point(mk_location_geom(pl.geom_3857, pl.public_geom_3857, pl.id, p.partner,
                                                      s_all, s_partner, s_municipalities), NULL)
    FROM project_location pl JOIN project p ON p.id = pl.project_id
    WHERE pl.precision IN ('exact', 'approximate')
      AND (pl.geom_3857 && box OR pl.public_geom_3857 && box)
      AND mk_location_geom(pl.geom_3857, pl.public_geom_3857, pl.id, p.partner, s_all, s_partner, s_municipalities) && box
      AND mk_project_visible(p.id, p.is_public, p.partner, s_all, s_partner, s_municipalities)
    UNION ALL
    SELECT pl.id, mk_tile_cell_point(NULL, l.geom)
    FROM tile_admin_label l JOIN admin_unit u ON u.id = l.unit_id
    JOIN project_location pl ON pl.precision = u.level
        AND (pl.unit_code = u.code OR (pl.unit_code IS NULL AND pl.precision IN ('municipality', 'delegation', 'governorate')
                                       AND ST_Intersects(u.geom, pl.geom)))
    JOIN project p ON p.id = pl.project_id
    WHERE l.geom && box AND u.valid_to IS NULL AND u.level IN ('municipality', 'delegation', 'governorate')
      AND (pl.disclosure <> 'withheld' OR mk_location_exact_visible(pl.id, p.partner, s_all, s_partner, s_municipalities))
      AND mk_project_visible(p.id, p.is_public, p.partner, s_all, s_partner, s_municipalities)
$$;
