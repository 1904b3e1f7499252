//! The one place tile SQL is built: one statement per tile, one `ST_AsMVT` layer per source,
//! geometry read in EPSG:3857 — generalised per zoom band up to zoom 11, exact from zoom 12.
//! Identifiers come from [`super::source`]; every request value is bound.
use sqlx::{Postgres, QueryBuilder};

use crate::auth::visibility;

pub use super::branch::TileQuery;
use super::{
    branch::{banded, push_filters, Branch},
    source::{self, Source},
};

/// Build the statement; it returns one `bytea` (possibly empty).
pub fn build(q: &TileQuery<'_>) -> QueryBuilder<'static, Postgres> {
    let (z, x, y) = (i32::from(q.z), q.x as i32, q.y as i32);
    let mut qb = QueryBuilder::new("WITH b AS (SELECT ST_TileEnvelope(");
    qb.push_bind(z)
        .push(", ")
        .push_bind(x)
        .push(", ")
        .push_bind(y);
    qb.push(") AS env, ST_TileEnvelope(");
    qb.push_bind(z)
        .push(", ")
        .push_bind(x)
        .push(", ")
        .push_bind(y);
    qb.push(format!(
        ", margin => {}) AS benv) SELECT ",
        f64::from(source::buffer(q.z)) / f64::from(source::extent(q.z))
    ));
    let mut first = true;
    for s in q.sources {
        if q.z < s.minzoom() {
            continue;
        }
        if !first {
            qb.push(" || ");
        }
        first = false;
        push_layer(&mut qb, *s, q);
    }
    if first {
        qb.push("''::bytea");
    }
    qb
}

fn push_layer(qb: &mut QueryBuilder<'static, Postgres>, s: Source, q: &TileQuery<'_>) {
    let extent = source::extent(q.z);
    let buffer = source::buffer(q.z);
    qb.push(format!(
        "coalesce((SELECT ST_AsMVT(q, '{}', {extent}, 'geom', 'fid') FROM (",
        s.id()
    ));
    let fields = s.fields();
    let cluster = s.cluster().filter(|c| c.applies(q.z));
    if let (Source::Projects, Some(c)) = (s, cluster) {
        super::cells::push(qb, q, c);
        qb.push(") q WHERE q.geom IS NOT NULL), ''::bytea)");
        return;
    }
    if let Some(c) = cluster {
        c.push_head(qb);
    }
    for (i, br) in branches(s, q.z).iter().enumerate() {
        if i > 0 {
            qb.push(" UNION ALL ");
        }
        qb.push("SELECT ").push(br.fid).push(" AS fid");
        for f in &fields {
            qb.push(format!(", {} AS \"{}\"", f.sql, f.name));
        }
        // a project location's geometry, box and joins are the caller's (exact or masked):
        // `push_scoped` binds the caller's scope in place of the anonymous one
        let scope = &q.scope.0;
        if br.encoded {
            let sql = format!(", {} AS geom FROM {} WHERE {}", br.geom, br.from, br.wher);
            visibility::push_scoped(qb, &sql, scope);
            qb.push(" AND g.x = ").push_bind(q.x as i32);
            qb.push(" AND g.y = ").push_bind(q.y as i32);
        } else {
            let sql = format!(
                ", ST_AsMVTGeom({}, b.env, {extent}, {buffer}, true) AS geom FROM b, {} WHERE {}",
                br.geom, br.from, br.wher
            );
            visibility::push_scoped(qb, &sql, scope);
        }
        push_filters(qb, s, br, q);
    }
    if let Some(c) = cluster {
        c.push_tail(qb, &fields.iter().map(|f| f.name).collect::<Vec<_>>());
    }
    qb.push(") q WHERE q.geom IS NOT NULL), ''::bytea)");
}

fn branches(s: Source, z: u8) -> Vec<Branch> {
    let band = source::band(z);
    // Zooms 5–11 read pieces encoded ahead of time for exactly that tile.
    let pieces = band == Some(z);
    let band = band.map(|b| (b, pieces));
    match s {
        Source::Municipalities
        | Source::Delegations
        | Source::Governorates
        | Source::Indicators => unit_branches(s, z, band),
        Source::Landuse => vec![landuse_branch(z, band)],
        Source::Facilities => vec![Branch {
            fid: "t.id",
            from: "facility t".into(),
            wher: "t.geom_3857 && b.benv".into(),
            geom: "t.geom_3857",
            exact: "t.geom_3857",
            unit_polygon: false,
            encoded: false,
        }],
        Source::Projects => super::locations::project_branches(z, band),
        // the one visibility rule of proposals: the public view, never the table
        Source::Proposals => vec![Branch {
            fid: "t.id",
            from: crate::layers::participation::tile_rows(z),
            wher: "t.geom_3857 && b.benv".into(),
            geom: "t.geom_3857",
            exact: "t.geom_3857",
            unit_polygon: false,
            encoded: false,
        }],
    }
}

/// The rows `t` of a unit source with their key: current units of the level, or the stored rows
/// of the `indicators-municipalities` collection (the same rows, the same figures), joined by
/// the indexed unit id.
fn unit_rows(s: Source) -> (String, &'static str, String) {
    let level = s.level().unwrap_or("municipality");
    if s == Source::Indicators {
        (s.layer().table.to_string(), "t.unit_id", "TRUE".into())
    } else {
        let cond = format!("t.level = '{level}' AND t.valid_to IS NULL");
        ("admin_unit t".to_string(), "t.id", cond)
    }
}

/// Unit polygons (a piece, a generalised band or the exact geometry) and their label points.
fn unit_branches(s: Source, z: u8, band: Option<(u8, bool)>) -> Vec<Branch> {
    let level = s.level().unwrap_or("municipality");
    let (rows, key, cond) = unit_rows(s);
    let (from, wher, geom, encoded) = banded(
        band,
        z,
        "admin",
        &format!("JOIN {rows} ON {key} = g.unit_id"),
        &format!(" AND g.level = '{level}'"),
        (
            rows.clone(),
            format!("{cond} AND t.geom_3857 && b.benv"),
            "t.geom_3857",
        ),
    );
    let polygon = Branch::polygons(key, (from, wher, geom, encoded), "t.geom_3857", false);
    // The label point of each unit (one per unit, in the tile that holds it: no buffer, no repeats).
    let label = Branch {
        fid: "NULL::bigint",
        from: format!("tile_admin_label l JOIN {rows} ON {key} = l.unit_id"),
        wher: format!("l.level = '{level}' AND l.geom && b.env"),
        geom: "l.geom",
        exact: "t.geom_3857",
        unit_polygon: false,
        encoded: false,
    };
    vec![polygon, label]
}

fn landuse_branch(z: u8, band: Option<(u8, bool)>) -> Branch {
    let joins = crate::layers::landuse::TILE_JOINS;
    let (from, wher, geom, encoded) = banded(
        band,
        z,
        "landuse",
        &format!("JOIN landuse_zone t ON t.id = g.zone_id {joins}"),
        "",
        (
            Source::Landuse.layer().table.to_string(),
            "t.geom_3857 && b.benv".into(),
            "t.geom_3857",
        ),
    );
    Branch::polygons("t.id", (from, wher, geom, encoded), "t.geom_3857", false)
}
