//! The rows of the `projects` tiles: a project location as the caller may see it, the locations
//! standing for a unit, and the layer's branches where it is not clustered (from zoom 14; below,
//! [`super::cells`]).
use super::{
    branch::{banded, Branch},
    source::Source,
};

/// A project location in EPSG:3857 as the caller may see it (docs/disclosure.md), written with the
/// anonymous scope that `push_layer` binds to the caller's: with the anonymous scope it folds to
/// `pl.public_geom_3857` (indexed).
pub(super) const LOCATION_GEOM: &str =
    "mk_location_geom(pl.geom_3857, pl.public_geom_3857, pl.id, p.partner, \
    false, NULL::text, '{}'::text[])";

/// What `LOCATION_GEOM && b.benv` implies, whatever the scope: the geometry drawn is the exact or
/// the public one, so one of them meets the box. Tile statements run as generic plans
/// (`db::replicas`), where the scope is a parameter and `mk_location_geom` cannot fold: without
/// this, every tile read every location (a sequential scan, docs/scale.md); with it, the two
/// spatial indexes (a `BitmapOr`), then the rule itself on those rows only.
const LOCATION_IN_BOX: &str = "(pl.geom_3857 && b.benv OR pl.public_geom_3857 && b.benv)";

/// The unit levels a location may stand for.
pub(super) const UNITS: &str = "('municipality', 'delegation', 'governorate')";

/// From a unit `u` to the locations `pl` standing for it and their projects `p`, unless withheld
/// (written with the anonymous scope). A location without a unit code stands for the unit holding
/// it: through `tile_project_location_unit_geom`.
pub(super) fn unit_join() -> String {
    format!("JOIN project_location pl ON pl.precision = u.level \
        AND (pl.unit_code = u.code OR (pl.unit_code IS NULL AND pl.precision IN {UNITS} \
        AND ST_Intersects(u.geom, pl.geom))) \
        JOIN project p ON p.id = pl.project_id \
        AND (pl.disclosure <> 'withheld' OR mk_location_exact_visible(pl.id, p.partner, false, NULL::text, '{{}}'::text[]))")
}

/// Exact locations as drawn (or as published: displaced, their unit's point, nothing), and
/// locations standing for a unit as that unit's polygon (not drawn when withheld).
pub(super) fn project_branches(z: u8, band: Option<(u8, bool)>) -> Vec<Branch> {
    let layer = Source::Projects.layer();
    let units = UNITS;
    let unit_join = unit_join();
    let exact = Branch {
        fid: layer.fid,
        from: layer.table.into(),
        wher: format!(
            "{} AND {LOCATION_IN_BOX} AND {LOCATION_GEOM} && b.benv",
            layer.base_where
        ),
        geom: LOCATION_GEOM,
        exact: LOCATION_GEOM,
        unit_polygon: false,
        encoded: false,
    };
    let (from, wher, geom, encoded) = banded(
        band,
        z,
        "admin",
        &format!("JOIN admin_unit u ON u.id = g.unit_id {unit_join}"),
        &format!(" AND g.level IN {units}"),
        (
            format!("admin_unit u {unit_join}"),
            format!("u.valid_to IS NULL AND u.level IN {units} AND u.geom_3857 && b.benv"),
            "u.geom_3857",
        ),
    );
    let unit = Branch::polygons(layer.fid, (from, wher, geom, encoded), "u.geom_3857", true);
    vec![exact, unit]
}
