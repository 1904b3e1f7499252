-- Vector tiles: generalised geometries per zoom band, and change notifications for tile caches.
--
-- Generalisation. For every zoom z of a band (5..11) a polygon layer keeps a copy of each geometry
-- with every vertex snapped to the grid of a 512-unit tile at zoom z (origin: the Web Mercator
-- corner, the same for every row): one unit is one CSS pixel of a 512-pixel tile. Neighbours that
-- share a boundary share its vertices, so their snapped copies share them too: no gaps, no slivers,
-- at any zoom. Tiles at zoom z use band min(max(z, 5), 11) with extent 512, so the snapped vertices
-- are exactly the tile's own units; from zoom 12 on, tiles read the exact geometry (extent 4096).
-- Each copy is moreover encoded ahead of time for every tile of its zoom (`tile_*_piece`), so tiles
-- at zoom 5–11 only join live attributes and encode. Units get one label point each. All of it is
-- kept by triggers, whatever tool edits the rows.
--
-- Invalidation. Triggers on every table a tile reads send NOTIFY mokhattat_tiles with the affected
-- tile sources and the Web Mercator boxes of the changed rows, old and new. Every server instance
-- listens and drops exactly the cached tiles those boxes touch.

CREATE FUNCTION mk_tile_bands() RETURNS int[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT ARRAY[5, 6, 7, 8, 9, 10, 11] $$;

-- Size in metres of one unit of a 512-unit tile at zoom z.
CREATE FUNCTION mk_tile_grid(z int) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT 40075016.68557849 / (512.0 * 2 ^ z) $$;

-- A polygon snapped to the band's grid, repaired (the 'structure' method keeps every part a ring
-- encloses, so no area is lost to a pinched ring), polygons only; NULL when it collapses entirely
-- (then it is smaller than a pixel at that zoom).
CREATE FUNCTION mk_generalise(g geometry, z int) RETURNS geometry
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT CASE WHEN ST_IsEmpty(v) THEN NULL ELSE v END
  FROM (SELECT ST_Multi(ST_CollectionExtract(ST_MakeValid(
          ST_SnapToGrid(g, -20037508.342789244, -20037508.342789244, mk_tile_grid(z), mk_tile_grid(z)),
          'method=structure'), 3)) AS v) q
$$;

-- ---------------------------------------------------------------- generalised copies
CREATE TABLE tile_admin_gen (
    unit_id bigint   NOT NULL REFERENCES admin_unit ON DELETE CASCADE,
    level   text     NOT NULL,
    band    smallint NOT NULL,
    geom    geometry(MultiPolygon, 3857) NOT NULL,
    PRIMARY KEY (unit_id, band)
);

-- Where a unit's label goes: the centre of the largest circle inside it, one point per unit, so a
-- name is written once however many tiles the polygon spans.
CREATE TABLE tile_admin_label (
    unit_id bigint PRIMARY KEY REFERENCES admin_unit ON DELETE CASCADE,
    level   text   NOT NULL,
    geom    geometry(Point, 3857) NOT NULL
);
CREATE INDEX tile_admin_label_geom ON tile_admin_label USING gist (geom);

CREATE TABLE tile_landuse_gen (
    zone_id bigint   NOT NULL REFERENCES landuse_zone ON DELETE CASCADE,
    band    smallint NOT NULL,
    geom    geometry(MultiPolygon, 3857) NOT NULL,
    PRIMARY KEY (zone_id, band)
);

-- Partial spatial indexes per (level, band) and per band: a tile query names both as literals.
DO $$
DECLARE
    b int;
    lvl text;
BEGIN
    FOREACH b IN ARRAY mk_tile_bands() LOOP
        FOREACH lvl IN ARRAY ARRAY['governorate', 'delegation', 'municipality'] LOOP
            EXECUTE format('CREATE INDEX %I ON tile_admin_gen USING gist (geom) WHERE level = %L AND band = %s',
                           'tile_admin_gen_' || lvl || '_' || b, lvl, b);
        END LOOP;
        EXECUTE format('CREATE INDEX %I ON tile_admin_gen USING gist (geom) WHERE band = %s',
                       'tile_admin_gen_' || b, b);
        EXECUTE format('CREATE INDEX %I ON tile_landuse_gen USING gist (geom) WHERE band = %s',
                       'tile_landuse_gen_' || b, b);
    END LOOP;
END $$;

CREATE FUNCTION mk_tile_admin_gen_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tile_admin_gen (unit_id, level, band, geom)
    SELECT n.id, n.level, b, g
    FROM new_rows n, unnest(mk_tile_bands()) b, mk_generalise(n.geom_3857, b) g
    WHERE n.valid_to IS NULL AND n.level IN ('governorate', 'delegation', 'municipality') AND g IS NOT NULL;
    INSERT INTO tile_admin_label (unit_id, level, geom)
    SELECT n.id, n.level, (ST_MaximumInscribedCircle(n.geom_3857)).center
    FROM new_rows n
    WHERE n.valid_to IS NULL AND n.level IN ('governorate', 'delegation', 'municipality');
    RETURN NULL;
END $$;

CREATE FUNCTION mk_tile_admin_gen_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM tile_admin_gen g USING new_rows n JOIN old_rows o ON o.id = n.id
    WHERE g.unit_id = n.id
      AND (o.geom IS DISTINCT FROM n.geom OR o.valid_to IS DISTINCT FROM n.valid_to OR o.level <> n.level);
    INSERT INTO tile_admin_gen (unit_id, level, band, geom)
    SELECT n.id, n.level, b, g
    FROM new_rows n JOIN old_rows o ON o.id = n.id, unnest(mk_tile_bands()) b, mk_generalise(n.geom_3857, b) g
    WHERE (o.geom IS DISTINCT FROM n.geom OR o.valid_to IS DISTINCT FROM n.valid_to OR o.level <> n.level)
      AND n.valid_to IS NULL AND n.level IN ('governorate', 'delegation', 'municipality') AND g IS NOT NULL;
    DELETE FROM tile_admin_label l USING new_rows n JOIN old_rows o ON o.id = n.id
    WHERE l.unit_id = n.id
      AND (o.geom IS DISTINCT FROM n.geom OR o.valid_to IS DISTINCT FROM n.valid_to OR o.level <> n.level);
    INSERT INTO tile_admin_label (unit_id, level, geom)
    SELECT n.id, n.level, (ST_MaximumInscribedCircle(n.geom_3857)).center
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE (o.geom IS DISTINCT FROM n.geom OR o.valid_to IS DISTINCT FROM n.valid_to OR o.level <> n.level)
      AND n.valid_to IS NULL AND n.level IN ('governorate', 'delegation', 'municipality');
    RETURN NULL;
END $$;

CREATE TRIGGER tile_admin_gen_insert AFTER INSERT ON admin_unit
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_tile_admin_gen_insert();
CREATE TRIGGER tile_admin_gen_update AFTER UPDATE ON admin_unit
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_tile_admin_gen_update();

CREATE FUNCTION mk_tile_landuse_gen_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tile_landuse_gen (zone_id, band, geom)
    SELECT n.id, b, g
    FROM new_rows n, unnest(mk_tile_bands()) b, mk_generalise(n.geom_3857, b) g
    WHERE g IS NOT NULL;
    RETURN NULL;
END $$;

CREATE FUNCTION mk_tile_landuse_gen_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM tile_landuse_gen g USING new_rows n JOIN old_rows o ON o.id = n.id
    WHERE g.zone_id = n.id AND o.geom IS DISTINCT FROM n.geom;
    INSERT INTO tile_landuse_gen (zone_id, band, geom)
    SELECT n.id, b, g
    FROM new_rows n JOIN old_rows o ON o.id = n.id, unnest(mk_tile_bands()) b, mk_generalise(n.geom_3857, b) g
    WHERE o.geom IS DISTINCT FROM n.geom AND g IS NOT NULL;
    RETURN NULL;
END $$;

CREATE TRIGGER tile_landuse_gen_insert AFTER INSERT ON landuse_zone
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_tile_landuse_gen_insert();
CREATE TRIGGER tile_landuse_gen_update AFTER UPDATE ON landuse_zone
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_tile_landuse_gen_update();

-- ---------------------------------------------------------------- pieces per tile
-- Each generalised copy is also encoded ahead of time, tile by tile, for the zoom of its band:
-- `ST_AsMVTGeom` of the copy for every tile it touches (clipped to the buffered tile, snapped to
-- the tile's grid, repaired, in tile coordinates). A tile at zoom 5–11 then reads its geometry by
-- primary key and only encodes it — the geometry work is done once, when the data changes, not on
-- every request. Attributes still come from the live rows. Pieces follow their copy (cascade).
CREATE TABLE tile_admin_piece (
    unit_id bigint   NOT NULL,
    level   text     NOT NULL,
    z       smallint NOT NULL,
    x       int      NOT NULL,
    y       int      NOT NULL,
    geom    geometry NOT NULL,
    PRIMARY KEY (z, x, y, level, unit_id),
    FOREIGN KEY (unit_id, z) REFERENCES tile_admin_gen (unit_id, band) ON DELETE CASCADE
);
CREATE INDEX tile_admin_piece_unit ON tile_admin_piece (unit_id, z);

CREATE TABLE tile_landuse_piece (
    zone_id bigint   NOT NULL,
    z       smallint NOT NULL,
    x       int      NOT NULL,
    y       int      NOT NULL,
    geom    geometry NOT NULL,
    PRIMARY KEY (z, x, y, zone_id),
    FOREIGN KEY (zone_id, z) REFERENCES tile_landuse_gen (zone_id, band) ON DELETE CASCADE
);
CREATE INDEX tile_landuse_piece_zone ON tile_landuse_piece (zone_id, z);

-- For every tile (x, y) of the band's zoom that the copy's bounding box touches (with the 1/64
-- buffer): the piece, encoded with the tile query's own parameters (extent 512, buffer 8).
CREATE FUNCTION mk_tile_admin_piece_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tile_admin_piece (unit_id, level, z, x, y, geom)
    SELECT n.unit_id, n.level, n.band, tx, ty, m.g
    FROM new_rows n,
         LATERAL (SELECT 40075016.68557849 / 2 ^ n.band AS size, 20037508.342789244 AS w, (1 << n.band) - 1 AS last) s,
         LATERAL generate_series(greatest(0, floor((ST_XMin(n.geom) + s.w) / s.size - 1.0 / 64)::int),
                                 least(s.last, floor((ST_XMax(n.geom) + s.w) / s.size + 1.0 / 64)::int)) tx,
         LATERAL generate_series(greatest(0, floor((s.w - ST_YMax(n.geom)) / s.size - 1.0 / 64)::int),
                                 least(s.last, floor((s.w - ST_YMin(n.geom)) / s.size + 1.0 / 64)::int)) ty,
         LATERAL (SELECT ST_AsMVTGeom(ST_ClipByBox2D(n.geom, ST_TileEnvelope(n.band, tx, ty, margin => 1.0 / 64)),
                                      ST_TileEnvelope(n.band, tx, ty), 512, 8, true) AS g) m
    WHERE m.g IS NOT NULL AND NOT ST_IsEmpty(m.g);
    RETURN NULL;
END $$;
CREATE TRIGGER tile_admin_piece_insert AFTER INSERT ON tile_admin_gen
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_tile_admin_piece_insert();

CREATE FUNCTION mk_tile_landuse_piece_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tile_landuse_piece (zone_id, z, x, y, geom)
    SELECT n.zone_id, n.band, tx, ty, m.g
    FROM new_rows n,
         LATERAL (SELECT 40075016.68557849 / 2 ^ n.band AS size, 20037508.342789244 AS w, (1 << n.band) - 1 AS last) s,
         LATERAL generate_series(greatest(0, floor((ST_XMin(n.geom) + s.w) / s.size - 1.0 / 64)::int),
                                 least(s.last, floor((ST_XMax(n.geom) + s.w) / s.size + 1.0 / 64)::int)) tx,
         LATERAL generate_series(greatest(0, floor((s.w - ST_YMax(n.geom)) / s.size - 1.0 / 64)::int),
                                 least(s.last, floor((s.w - ST_YMin(n.geom)) / s.size + 1.0 / 64)::int)) ty,
         LATERAL (SELECT ST_AsMVTGeom(ST_ClipByBox2D(n.geom, ST_TileEnvelope(n.band, tx, ty, margin => 1.0 / 64)),
                                      ST_TileEnvelope(n.band, tx, ty), 512, 8, true) AS g) m
    WHERE m.g IS NOT NULL AND NOT ST_IsEmpty(m.g);
    RETURN NULL;
END $$;
CREATE TRIGGER tile_landuse_piece_insert AFTER INSERT ON tile_landuse_gen
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mk_tile_landuse_piece_insert();

-- ---------------------------------------------------------------- what a project location draws
-- Exact and approximate locations draw their own geometry. A location that stands for a unit
-- (precision municipality, delegation or governorate) draws that unit's polygon, flagged with its
-- precision, never a point that would look exact. National locations are not drawn.
-- The rule, used by the tile query and by mk_location_box below: the unit of level = precision
-- whose code is the location's unit_code, or, without a unit_code, the units the location touches.
CREATE INDEX tile_project_location_unit ON project_location (precision, unit_code);

-- ---------------------------------------------------------------- notifications
-- Send the boxes (3857, rounded outwards to whole metres) in messages of at most 100 boxes.
-- A NULL box list means "the whole source".
CREATE FUNCTION mk_tile_notify(sources text[], boxes box2d[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    texts text[];
    i int;
BEGIN
    IF boxes IS NULL THEN
        PERFORM pg_notify('mokhattat_tiles', json_build_object('sources', sources, 'boxes', NULL)::text);
        RETURN;
    END IF;
    SELECT array_agg(DISTINCT format('[%s,%s,%s,%s]',
               floor(ST_XMin(b)), floor(ST_YMin(b)), ceil(ST_XMax(b)), ceil(ST_YMax(b))))
    INTO texts FROM unnest(boxes) b WHERE b IS NOT NULL;
    IF texts IS NULL THEN
        RETURN;
    END IF;
    i := 1;
    WHILE i <= cardinality(texts) LOOP
        PERFORM pg_notify('mokhattat_tiles',
            format('{"sources":%s,"boxes":[%s]}', to_json(sources), array_to_string(texts[i:i + 99], ',')));
        i := i + 100;
    END LOOP;
END $$;

CREATE FUNCTION mk_level_source(level text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE level WHEN 'municipality' THEN 'municipalities' WHEN 'delegation' THEN 'delegations'
                    WHEN 'governorate' THEN 'governorates' END
$$;

-- The changed rows of the statement: new, old or both, by operation (transition tables).
CREATE FUNCTION mk_changed_rows(op text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE op WHEN 'INSERT' THEN 'SELECT * FROM new_rows'
                 WHEN 'DELETE' THEN 'SELECT * FROM old_rows'
                 ELSE 'SELECT * FROM new_rows UNION ALL SELECT * FROM old_rows' END
$$;

-- admin_unit: its own level's source, projects (unit-precision locations draw unit polygons) and
-- facilities (filtered by municipality through its geometry).
CREATE FUNCTION mk_tile_notify_admin() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    FOR r IN EXECUTE format(
        'SELECT mk_level_source(level) AS source, array_agg(Box2D(geom_3857)) AS boxes FROM (%s) c
         WHERE mk_level_source(level) IS NOT NULL GROUP BY 1', mk_changed_rows(TG_OP))
    LOOP
        PERFORM mk_tile_notify(ARRAY[r.source, 'projects', 'facilities'], r.boxes);
    END LOOP;
    RETURN NULL;
END $$;

-- landuse_zone, facility: the boxes of the changed rows; the source is the trigger's argument.
CREATE FUNCTION mk_tile_notify_rows() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    boxes box2d[];
BEGIN
    EXECUTE format('SELECT array_agg(Box2D(geom_3857)) FROM (%s) c', mk_changed_rows(TG_OP)) INTO boxes;
    IF boxes IS NOT NULL THEN
        PERFORM mk_tile_notify(ARRAY[TG_ARGV[0]], boxes);
    END IF;
    RETURN NULL;
END $$;

-- The box a project location draws: its own geometry, plus its unit's polygon when it stands for one.
CREATE FUNCTION mk_location_box(loc project_location) RETURNS box2d
LANGUAGE sql STABLE AS $$
  SELECT Box2D(ST_Collect(loc.geom_3857, (
      SELECT ST_Collect(u.geom_3857) FROM admin_unit u
      WHERE loc.precision IN ('municipality', 'delegation', 'governorate')
        AND u.valid_to IS NULL AND u.level = loc.precision
        AND (u.code = loc.unit_code OR (loc.unit_code IS NULL AND ST_Intersects(u.geom, loc.geom))))))
$$;

CREATE FUNCTION mk_tile_notify_location() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    boxes box2d[];
BEGIN
    EXECUTE format('SELECT array_agg(mk_location_box(c::project_location)) FROM (%s) c', mk_changed_rows(TG_OP))
    INTO boxes;
    IF boxes IS NOT NULL THEN
        PERFORM mk_tile_notify(ARRAY['projects'], boxes);
    END IF;
    RETURN NULL;
END $$;

-- project, funding_line, project_event: the boxes of the locations of the projects they touch
-- (the trigger's argument names the column holding the project id).
CREATE FUNCTION mk_tile_notify_project() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    boxes box2d[];
BEGIN
    EXECUTE format(
        'SELECT array_agg(mk_location_box(pl)) FROM project_location pl
         WHERE pl.project_id IN (SELECT %I FROM (%s) c)', TG_ARGV[0], mk_changed_rows(TG_OP))
    INTO boxes;
    IF boxes IS NOT NULL THEN
        PERFORM mk_tile_notify(ARRAY['projects'], boxes);
    END IF;
    RETURN NULL;
END $$;

-- Changes that touch every tile of a source (class names, TRUNCATE): the sources are the arguments.
CREATE FUNCTION mk_tile_notify_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM mk_tile_notify(TG_ARGV::text[], NULL);
    RETURN NULL;
END $$;

-- Statement-level triggers with transition tables; PostgreSQL wants one event per such trigger.
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES
        ('admin_unit',       'mk_tile_notify_admin',    '',
            $a$'municipalities', 'delegations', 'governorates', 'projects', 'facilities'$a$),
        ('landuse_zone',     'mk_tile_notify_rows',     $a$'landuse'$a$,    $a$'landuse'$a$),
        ('facility',         'mk_tile_notify_rows',     $a$'facilities'$a$, $a$'facilities'$a$),
        ('project_location', 'mk_tile_notify_location', '',                 $a$'projects'$a$),
        ('project',          'mk_tile_notify_project',  $a$'id'$a$,         $a$'projects'$a$),
        ('funding_line',     'mk_tile_notify_project',  $a$'project_id'$a$, $a$'projects'$a$),
        ('project_event',    'mk_tile_notify_project',  $a$'project_id'$a$, $a$'projects'$a$)
    ) v(tbl, fn, arg, sources) LOOP
        EXECUTE format('CREATE TRIGGER tile_notify_ins AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION %I(%s)', t.tbl, t.fn, t.arg);
        EXECUTE format('CREATE TRIGGER tile_notify_upd AFTER UPDATE ON %I
                        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION %I(%s)', t.tbl, t.fn, t.arg);
        EXECUTE format('CREATE TRIGGER tile_notify_del AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION %I(%s)', t.tbl, t.fn, t.arg);
        EXECUTE format('CREATE TRIGGER tile_notify_truncate AFTER TRUNCATE ON %I
                        FOR EACH STATEMENT EXECUTE FUNCTION mk_tile_notify_all(%s)', t.tbl, t.sources);
    END LOOP;
END $$;

CREATE TRIGGER tile_notify_classes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON landuse_class
    FOR EACH STATEMENT EXECUTE FUNCTION mk_tile_notify_all('landuse');
CREATE TRIGGER tile_notify_layers AFTER UPDATE OR DELETE OR TRUNCATE ON landuse_layer
    FOR EACH STATEMENT EXECUTE FUNCTION mk_tile_notify_all('landuse');
CREATE TRIGGER tile_notify_statuses AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON project_status
    FOR EACH STATEMENT EXECUTE FUNCTION mk_tile_notify_all('projects');
