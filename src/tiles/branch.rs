//! The parts of a tile statement its builders share (`tiles::sql`, `tiles::locations`,
//! `tiles::cells`): the tile asked, a layer's branch (one `SELECT` of its rows), where a polygon
//! source's rows come from at a zoom, and the filters and visibility rule pushed after a branch.
use sqlx::{Postgres, QueryBuilder};

use crate::auth::visibility;

use super::{filter::TileFilters, scope::TileScope, source::Source};

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
pub(super) struct Branch {
    /// Feature id expression (NULL for label points, which repeat a polygon's id).
    pub(super) fid: &'static str,
    pub(super) from: String,
    pub(super) wher: String,
    pub(super) geom: &'static str,
    /// The exact geometry, for the municipality filter.
    pub(super) exact: &'static str,
    /// Only for unit polygons standing for project locations.
    pub(super) unit_polygon: bool,
    /// `geom` is a piece already encoded for this very tile (see `tile_*_piece`): selected as is,
    /// and the branch is keyed by the tile's x and y.
    pub(super) encoded: bool,
}

impl Branch {
    /// A branch of project locations (`tiles::cells`) as the filters see it: `exact` is the
    /// geometry the municipality filter tests, `unit_polygon` whether it is a unit's polygon.
    pub(super) fn located(exact: &'static str, unit_polygon: bool) -> Self {
        Self {
            fid: "pl.id",
            from: Source::Projects.layer().table.into(),
            wher: String::new(),
            geom: exact,
            exact,
            unit_polygon,
            encoded: false,
        }
    }

    /// A polygon branch from [`banded`]'s from, where, geometry and whether it is encoded.
    pub(super) fn polygons(
        fid: &'static str,
        (from, wher, geom, encoded): (String, String, &'static str, bool),
        exact: &'static str,
        unit_polygon: bool,
    ) -> Self {
        Self {
            fid,
            from,
            wher,
            geom,
            exact,
            unit_polygon,
            encoded,
        }
    }
}

/// Where a polygon source's rows come from at zoom `z`: pieces encoded for exactly this tile
/// (`tile_<kind>_piece`), a generalised band (`tile_<kind>_gen`), or `exact` (from, where,
/// geometry) past the bands. `joins` follows the pieces' alias `g`; `cond` narrows them (a level).
/// Returns from, where, geometry and whether it is already encoded.
pub(super) fn banded(
    band: Option<(u8, bool)>,
    z: u8,
    kind: &str,
    joins: &str,
    cond: &str,
    exact: (String, String, &'static str),
) -> (String, String, &'static str, bool) {
    match band {
        Some((_, true)) => (
            format!("tile_{kind}_piece g {joins}"),
            format!("g.z = {z}{cond}"),
            "g.geom",
            true,
        ),
        Some((b, false)) => (
            format!("tile_{kind}_gen g {joins}"),
            format!("g.band = {b}{cond} AND g.geom && b.benv"),
            "g.geom",
            false,
        ),
        None => (exact.0, exact.1, exact.2, false),
    }
}

pub(super) fn push_filters(
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
                qb.push(" AND t.code = ANY(")
                    .push_bind(f.municipality.clone())
                    .push(")");
            }
            Source::Landuse | Source::Proposals => {
                qb.push(" AND t.municipality_code = ANY(")
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
                .push_bind(f.municipality.clone());
                visibility::push_scoped(qb, &format!(") AND {test})"), &q.scope.0);
            }
            Source::Delegations | Source::Governorates => {}
        }
    }
    if let Some(c) = f.cql.get(&s) {
        qb.push(" AND ");
        c.push_to(qb);
    }
}
