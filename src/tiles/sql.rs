//! The one place tile SQL is built: one statement per tile, one `ST_AsMVT` layer per source,
//! geometry read in EPSG:3857 — generalised per zoom band up to zoom 11, exact from zoom 12.
//! Identifiers come from [`super::source`]; every request value is bound.
use sqlx::{Postgres, QueryBuilder};

use super::{
    filter::TileFilters,
    scope::TileScope,
    source::{self, Source},
};

/// One tile to encode.
pub struct TileQuery<'a> {
    pub sources: &'a [Source],
    pub z: u8,
    pub x: u32,
    pub y: u32,
    pub filters: &'a TileFilters,
    pub scope: &'a TileScope,
}

/// One `SELECT` producing the rows of a layer: FROM/WHERE parts and the geometry to encode.
struct Branch {
    /// Feature id expression (NULL for label points, which repeat a polygon's id).
    fid: &'static str,
    from: String,
    wher: String,
    geom: &'static str,
    /// The exact geometry, for the municipality filter.
    exact: &'static str,
    /// Only for unit polygons standing for project locations.
    unit_polygon: bool,
    /// `geom` is a piece already encoded for this very tile (see `tile_*_piece`): selected as is,
    /// and the branch is keyed by the tile's x and y.
    encoded: bool,
}

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
    for (i, br) in branches(s, q.z).iter().enumerate() {
        if i > 0 {
            qb.push(" UNION ALL ");
        }
        qb.push("SELECT ").push(br.fid).push(" AS fid");
        for f in s.fields() {
            qb.push(format!(", {} AS \"{}\"", f.sql, f.name));
        }
        if br.encoded {
            qb.push(format!(
                ", {} AS geom FROM {} WHERE {}",
                br.geom, br.from, br.wher
            ));
            qb.push(" AND g.x = ").push_bind(q.x as i32);
            qb.push(" AND g.y = ").push_bind(q.y as i32);
        } else {
            qb.push(format!(
                ", ST_AsMVTGeom({}, b.env, {extent}, {buffer}, true) AS geom FROM b, {} WHERE {}",
                br.geom, br.from, br.wher
            ));
        }
        push_filters(qb, s, br, q);
    }
    qb.push(") q WHERE q.geom IS NOT NULL), ''::bytea)");
}

fn branches(s: Source, z: u8) -> Vec<Branch> {
    let band = source::band(z);
    // Zooms 5–11 read pieces encoded ahead of time for exactly that tile.
    let pieces = band == Some(z);
    let units = "('municipality', 'delegation', 'governorate')";
    let unit_join = "JOIN project_location pl ON pl.precision = u.level \
        AND (pl.unit_code = u.code OR (pl.unit_code IS NULL AND ST_Intersects(u.geom, pl.geom))) \
        JOIN project p ON p.id = pl.project_id";
    match (s, band) {
        (
            Source::Municipalities
            | Source::Delegations
            | Source::Governorates
            | Source::Indicators,
            Some(_),
        ) if pieces => {
            let level = s.level().unwrap_or("municipality");
            vec![
                Branch {
                    fid: "u.id",
                    from: "tile_admin_piece g JOIN admin_unit u ON u.id = g.unit_id".into(),
                    wher: format!("g.z = {z} AND g.level = '{level}'"),
                    geom: "g.geom",
                    exact: "u.geom_3857",
                    unit_polygon: false,
                    encoded: true,
                },
                label(level),
            ]
        }
        (
            Source::Municipalities
            | Source::Delegations
            | Source::Governorates
            | Source::Indicators,
            Some(b),
        ) => {
            let level = s.level().unwrap_or("municipality");
            vec![
                Branch {
                    fid: "u.id",
                    from: "tile_admin_gen g JOIN admin_unit u ON u.id = g.unit_id".into(),
                    wher: format!("g.level = '{level}' AND g.band = {b} AND g.geom && b.benv"),
                    geom: "g.geom",
                    exact: "u.geom_3857",
                    unit_polygon: false,
                    encoded: false,
                },
                label(level),
            ]
        }
        (
            Source::Municipalities
            | Source::Delegations
            | Source::Governorates
            | Source::Indicators,
            None,
        ) => {
            let level = s.level().unwrap_or("municipality");
            vec![
                Branch {
                    fid: "u.id",
                    from: "admin_unit u".into(),
                    wher: format!(
                        "u.level = '{level}' AND u.valid_to IS NULL AND u.geom_3857 && b.benv"
                    ),
                    geom: "u.geom_3857",
                    exact: "u.geom_3857",
                    unit_polygon: false,
                    encoded: false,
                },
                label(level),
            ]
        }
        (Source::Landuse, band) => {
            let joins = "JOIN landuse_layer l ON l.id = z.layer_id JOIN landuse_class c ON c.class = z.class";
            match band {
                Some(_) if pieces => vec![Branch {
                    fid: "z.id",
                    from: format!(
                        "tile_landuse_piece g JOIN landuse_zone z ON z.id = g.zone_id {joins}"
                    ),
                    wher: format!("g.z = {z}"),
                    geom: "g.geom",
                    exact: "z.geom_3857",
                    unit_polygon: false,
                    encoded: true,
                }],
                Some(b) => vec![Branch {
                    fid: "z.id",
                    from: format!(
                        "tile_landuse_gen g JOIN landuse_zone z ON z.id = g.zone_id {joins}"
                    ),
                    wher: format!("g.band = {b} AND g.geom && b.benv"),
                    geom: "g.geom",
                    exact: "z.geom_3857",
                    unit_polygon: false,
                    encoded: false,
                }],
                None => vec![Branch {
                    fid: "z.id",
                    from: format!("landuse_zone z {joins}"),
                    wher: "z.geom_3857 && b.benv".into(),
                    geom: "z.geom_3857",
                    exact: "z.geom_3857",
                    unit_polygon: false,
                    encoded: false,
                }],
            }
        }
        (Source::Facilities, _) => vec![Branch {
            fid: "t.id",
            from: "facility t".into(),
            wher: "t.geom_3857 && b.benv".into(),
            geom: "t.geom_3857",
            exact: "t.geom_3857",
            unit_polygon: false,
            encoded: false,
        }],
        (Source::Projects, band) => {
            let exact = Branch {
                fid: "pl.id",
                from: "project_location pl JOIN project p ON p.id = pl.project_id".into(),
                wher: "pl.precision IN ('exact', 'approximate') AND pl.geom_3857 && b.benv".into(),
                geom: "pl.geom_3857",
                exact: "pl.geom_3857",
                unit_polygon: false,
                encoded: false,
            };
            let unit = match band {
                Some(_) if pieces => Branch {
                    fid: "pl.id",
                    from: format!(
                        "tile_admin_piece g JOIN admin_unit u ON u.id = g.unit_id {unit_join}"
                    ),
                    wher: format!("g.z = {z} AND g.level IN {units}"),
                    geom: "g.geom",
                    exact: "u.geom_3857",
                    unit_polygon: true,
                    encoded: true,
                },
                Some(b) => Branch {
                    fid: "pl.id",
                    from: format!(
                        "tile_admin_gen g JOIN admin_unit u ON u.id = g.unit_id {unit_join}"
                    ),
                    wher: format!("g.band = {b} AND g.level IN {units} AND g.geom && b.benv"),
                    geom: "g.geom",
                    exact: "u.geom_3857",
                    unit_polygon: true,
                    encoded: false,
                },
                None => Branch {
                    fid: "pl.id",
                    from: format!("admin_unit u {unit_join}"),
                    wher: format!(
                        "u.valid_to IS NULL AND u.level IN {units} AND u.geom_3857 && b.benv"
                    ),
                    geom: "u.geom_3857",
                    exact: "u.geom_3857",
                    unit_polygon: true,
                    encoded: false,
                },
            };
            vec![exact, unit]
        }
    }
}

/// The label point of each unit (one per unit, in the tile that holds it: no buffer, no repeats).
fn label(level: &'static str) -> Branch {
    Branch {
        fid: "NULL::bigint",
        from: "tile_admin_label l JOIN admin_unit u ON u.id = l.unit_id".into(),
        wher: format!("l.level = '{level}' AND l.geom && b.env"),
        geom: "l.geom",
        exact: "u.geom_3857",
        unit_polygon: false,
        encoded: false,
    }
}

fn push_filters(
    qb: &mut QueryBuilder<'static, Postgres>,
    s: Source,
    br: &Branch,
    q: &TileQuery<'_>,
) {
    let f = q.filters;
    if s == Source::Projects {
        qb.push(" AND ");
        q.scope.push_visibility(qb);
        if !f.status.is_empty() {
            qb.push(" AND p.status = ANY(")
                .push_bind(f.status.clone())
                .push(")");
        }
        if !f.theme.is_empty() {
            qb.push(" AND p.theme = ANY(")
                .push_bind(f.theme.clone())
                .push(")");
        }
        if !f.funder.is_empty() {
            qb.push(
                " AND EXISTS (SELECT 1 FROM funding_line fl WHERE fl.project_id = p.id \
                 AND lower(fl.funder) = ANY(",
            )
            .push_bind(f.funder.clone())
            .push("))");
        }
        if let Some(year) = f.year {
            qb.push(" AND coalesce(p.actual_start, p.planned_start) <= make_date(")
                .push_bind(year)
                .push(", 12, 31) AND coalesce(p.actual_end, p.planned_end, 'infinity'::date) >= make_date(")
                .push_bind(year)
                .push(", 1, 1)");
        }
    }
    if !f.municipality.is_empty() {
        match s {
            Source::Municipalities | Source::Indicators => {
                qb.push(" AND u.code = ANY(")
                    .push_bind(f.municipality.clone())
                    .push(")");
            }
            Source::Landuse => {
                qb.push(" AND z.municipality_code = ANY(")
                    .push_bind(f.municipality.clone())
                    .push(")");
            }
            Source::Projects | Source::Facilities => {
                // A unit polygon belongs to a municipality when their interiors overlap (touching
                // along a boundary is not enough); a point or line when it touches it.
                let test = if br.unit_polygon {
                    format!("ST_Relate(fm.geom_3857, {}, 'T********')", br.exact)
                } else {
                    format!("ST_Intersects(fm.geom_3857, {})", br.exact)
                };
                qb.push(
                    " AND EXISTS (SELECT 1 FROM admin_unit fm WHERE fm.level = 'municipality' \
                     AND fm.valid_to IS NULL AND fm.code = ANY(",
                )
                .push_bind(f.municipality.clone())
                .push(format!(") AND {test})"));
            }
            Source::Delegations | Source::Governorates => {}
        }
    }
    if let Some(c) = f.cql.get(&s) {
        qb.push(" AND ");
        c.push_to(qb);
    }
}
