//! The `projects` layer where it is clustered (below [`Cluster::below`], docs/scale.md,
//! "Precomputed cells"): one statement, two ways of knowing which cells are dense.
//!
//! A location falls in the global 32-pixel cell (SQL `mk_tile_cell`) holding its cell point
//! (`mk_tile_cell_point`: a point on the geometry drawn for the caller, or the label point of the
//! unit it stands for). A tile looks at its 16 × 16 cells and the ring around them (the cells its
//! buffer reaches): a cell holding more than `max_single` locations is dense, drawn as one point at
//! the mean of their cell points with `locations` = how many; every other location is drawn as
//! today, when its own cell is not dense and its box meets a cell of the tile that is not.
//! - **Live** (key holders, filtered tiles): the tile reads every location of its cells and ring
//!   (with the filters and the caller's scope) and counts them.
//! - **Stored** (anonymous, unfiltered: a commune's public map): the dense cells come from
//!   `tile_cell` (migration 0030, kept at commit by the database); only the locations meeting the
//!   cells that are not dense are read, by their spatial index. Same features, same counts, same
//!   positions as the live way for the same rows (tests/it/tile_cells.rs).
use sqlx::{Postgres, QueryBuilder};

use super::{
    branch::{self, Branch, TileQuery},
    cluster::{Cluster, CELL_PX},
    locations,
    source::{self, Field, Source},
};
use crate::auth::visibility;

/// Cells a tile's side spans, and the first cell of the ring before it.
const CELLS: u32 = source::BAND_EXTENT / CELL_PX;

/// Does tile `q` read its dense cells from `tile_cell` rather than count them?
pub fn stored(q: &TileQuery<'_>) -> bool {
    q.scope.is_anonymous() && q.filters.is_empty()
}

/// The rows of the `projects` layer of tile `q` at a clustered zoom (what `ST_AsMVT` encodes).
pub fn push(qb: &mut QueryBuilder<'static, Postgres>, q: &TileQuery<'_>, c: &Cluster) {
    let fields = Source::Projects.fields();
    let z = q.z;
    let stored = stored(q);
    // c: the cells of the tile and its ring (x0..x1, y0..y1) and their box
    qb.push("WITH c AS (SELECT v.*, mk_tile_cells_box(v.x0, v.y0, v.x1, v.y1, ");
    qb.push(format!("{z}) AS rbox FROM (SELECT "));
    let first = |qb: &mut QueryBuilder<'static, Postgres>, t: u32| {
        qb.push_bind((t * CELLS) as i32 - 1);
    };
    first(qb, q.x);
    qb.push(" AS x0, ");
    first(qb, q.y);
    qb.push(format!(
        " AS y0) w, LATERAL (SELECT w.x0, w.y0, w.x0 + {} AS x1, w.y0 + {} AS y1) v), ",
        CELLS + 1,
        CELLS + 1
    ));
    if stored {
        qb.push(format!(
            "d AS (SELECT t.cx, t.cy, t.n::bigint AS n, t.sx::numeric AS sx, t.sy::numeric AS sy \
             FROM c, tile_cell t WHERE t.z = {z} AND t.cx BETWEEN c.x0 AND c.x1 \
             AND t.cy BETWEEN c.y0 AND c.y1 AND t.n > {}), {}, r0 AS (",
            c.max_single,
            sparse(z)
        ));
        push_rows(qb, q, &fields, true);
        qb.push(") ");
    } else {
        qb.push("r0 AS (");
        push_rows(qb, q, &fields, false);
        qb.push(format!(
            "), d AS (SELECT k.cx, k.cy, count(*) AS n, sum(round(ST_X(r0.pt) * 1000)::bigint) AS sx, \
             sum(round(ST_Y(r0.pt) * 1000)::bigint) AS sy FROM c, r0, LATERAL mk_tile_cell(r0.pt, {z}) k \
             WHERE k.cx BETWEEN c.x0 AND c.x1 AND k.cy BETWEEN c.y0 AND c.y1 \
             GROUP BY k.cx, k.cy HAVING count(*) > {}), {} ",
            c.max_single,
            sparse(z)
        ));
    }
    push_tail(qb, z, &fields, c);
}

/// `s`: the cells of the tile and ring that are not dense, as runs along each row of cells (one
/// box a run, numbered `k`).
fn sparse(z: u8) -> String {
    format!(
        "s AS (SELECT row_number() OVER () AS k, mk_tile_cells_box(min(a.cx), a.cy, max(a.cx), a.cy, {z}) AS box \
         FROM (SELECT gx.cx, gy.cy, gx.cx - row_number() OVER (PARTITION BY gy.cy ORDER BY gx.cx) AS run \
         FROM c, generate_series(c.x0, c.x1) gx(cx), generate_series(c.y0, c.y1) gy(cy) \
         WHERE NOT EXISTS (SELECT 1 FROM d WHERE d.cx = gx.cx AND d.cy = gy.cy)) a GROUP BY a.cy, a.run)"
    )
}

/// The drawn rows of sparse cells, then one point a dense cell (in the tile's buffered extent).
fn push_tail(qb: &mut QueryBuilder<'static, Postgres>, z: u8, fields: &[Field], c: &Cluster) {
    let (extent, buffer) = (source::extent(z), source::buffer(z));
    qb.push("SELECT r0.fid");
    for f in fields {
        qb.push(format!(", r0.\"{}\"", f.name));
    }
    qb.push(format!(
        ", r0.geom FROM r0 LEFT JOIN LATERAL mk_tile_cell(r0.pt, {z}) k ON true WHERE r0.geom IS NOT NULL \
         AND NOT EXISTS (SELECT 1 FROM d WHERE d.cx = k.cx AND d.cy = k.cy) \
         AND EXISTS (SELECT 1 FROM s WHERE r0.bb && s.box) UNION ALL SELECT NULL::bigint"
    ));
    for f in fields {
        if f.name == c.count {
            qb.push(format!(", d.n AS \"{}\"", f.name));
        } else {
            qb.push(format!(", NULL AS \"{}\"", f.name));
        }
    }
    // the mean of the cell points, in tile units (the same integer grid as the encoded rows)
    qb.push(format!(
        ", g.geom FROM b, d, LATERAL (SELECT ST_Point(\
         round((d.sx::float8 / d.n / 1000 - ST_XMin(b.env)) * {extent} / (ST_XMax(b.env) - ST_XMin(b.env))), \
         round((ST_YMax(b.env) - d.sy::float8 / d.n / 1000) * {extent} / (ST_XMax(b.env) - ST_XMin(b.env)))) AS geom) g \
         WHERE ST_X(g.geom) BETWEEN -{buffer} AND {} AND ST_Y(g.geom) BETWEEN -{buffer} AND {}",
        extent + buffer,
        extent + buffer
    ));
}

/// The rows `r0` (fid, fields, geom as encoded, `pt` the cell point, `bb` the geometry drawn):
/// exact locations, then locations drawn as their unit. `stored`: only those meeting a sparse cell,
/// with the anonymous scope written as literals (so the geometry folds to the indexed public one).
fn push_rows(
    qb: &mut QueryBuilder<'static, Postgres>,
    q: &TileQuery<'_>,
    fields: &[Field],
    stored: bool,
) {
    let (extent, buffer) = (source::extent(q.z), source::buffer(q.z));
    let geom = locations::LOCATION_GEOM;
    let scope = &q.scope.0;
    let select = |qb: &mut QueryBuilder<'static, Postgres>| {
        qb.push("SELECT pl.id AS fid");
        for f in fields {
            qb.push(format!(", {} AS \"{}\"", f.sql, f.name));
        }
    };
    let exact = Branch::located(geom, false);
    select(qb);
    let from = if stored {
        format!(
            "FROM b, s, {} WHERE {} AND {geom} && s.box \
             AND NOT EXISTS (SELECT 1 FROM s s2 WHERE s2.k < s.k AND {geom} && s2.box)",
            exact.from,
            Source::Projects.layer().base_where
        )
    } else {
        format!(
            "FROM b, c, {} WHERE {} AND (pl.geom_3857 && c.rbox OR pl.public_geom_3857 && c.rbox) \
             AND {geom} && c.rbox",
            exact.from,
            Source::Projects.layer().base_where
        )
    };
    let sql = format!(
        ", ST_AsMVTGeom({geom}, b.env, {extent}, {buffer}, true) AS geom, \
         mk_tile_cell_point({geom}, NULL) AS pt, {geom} AS bb {from}"
    );
    push_where(qb, q, &exact, &sql, stored);
    qb.push(" UNION ALL ");
    select(qb);
    let unit = Branch::located("u.geom_3857", true);
    let (drawn, here, join) = unit_geometry(q.z, extent, buffer);
    let sql = format!(
        ", {drawn} AS geom, mk_tile_cell_point(NULL, l.geom) AS pt, u.geom_3857 AS bb \
         FROM b CROSS JOIN c CROSS JOIN tile_admin_label l JOIN admin_unit u ON u.id = l.unit_id {} {join}",
        locations::unit_join()
    );
    if stored {
        qb.push(sql);
    } else {
        visibility::push_scoped(qb, &sql, scope);
    }
    if join.ends_with("g.x = ") {
        qb.push_bind(q.x as i32)
            .push(" AND g.y = ")
            .push_bind(q.y as i32);
    }
    let wher = format!(
        " WHERE u.valid_to IS NULL AND u.level IN {} AND ({here} OR l.geom && c.rbox)",
        locations::UNITS
    );
    push_where(qb, q, &unit, &wher, stored);
    if stored {
        qb.push(format!(
            " AND NOT EXISTS (SELECT 1 FROM d, mk_tile_cell(l.geom, {}) k WHERE d.cx = k.cx AND d.cy = k.cy)",
            q.z
        ));
    }
}

/// Push `sql` (the caller's scope bound in place of the anonymous one, unless `stored`), then the
/// visibility rule and the tile filters of the branch.
fn push_where(
    qb: &mut QueryBuilder<'static, Postgres>,
    q: &TileQuery<'_>,
    br: &Branch,
    sql: &str,
    stored: bool,
) {
    if stored {
        qb.push(sql);
    } else {
        visibility::push_scoped(qb, sql, &q.scope.0);
    }
    branch::push_filters(qb, Source::Projects, br, q);
}

/// A unit's polygon as encoded for this tile, whether it is drawn here, and the join reading it:
/// the piece encoded for the tile (zooms 5–11; the join ends with the tile's `g.x = `, bound by the
/// caller), the first band (below 5) or the exact geometry (from 12).
fn unit_geometry(z: u8, extent: u32, buffer: u32) -> (String, String, String) {
    match source::band(z) {
        Some(b) if b == z => (
            "g.geom".into(),
            "g.unit_id IS NOT NULL".into(),
            format!(
                "LEFT JOIN tile_admin_piece g ON g.unit_id = u.id AND g.level = u.level AND g.z = {z} AND g.x = "
            ),
        ),
        Some(b) => (
            format!("ST_AsMVTGeom(g.geom, b.env, {extent}, {buffer}, true)"),
            "g.unit_id IS NOT NULL".into(),
            format!("LEFT JOIN tile_admin_gen g ON g.unit_id = u.id AND g.band = {b} AND g.geom && b.benv"),
        ),
        None => (
            format!(
                "CASE WHEN u.geom_3857 && b.benv THEN ST_AsMVTGeom(u.geom_3857, b.env, {extent}, {buffer}, true) END"
            ),
            "u.geom_3857 && b.benv".into(),
            String::new(),
        ),
    }
}
