//! The administrative units: municipalities, delegations, governorates (current boundaries).
use super::common::{join, UNIT_NAMES};
use super::{col, p, Layer, PType::*, Prop, TileSpec};

/// The latest population figure of the unit `t` (the figure `mk_unit_indicators` also picks).
const POPULATION: &str = "(SELECT p.population FROM population p WHERE p.level = t.level AND p.code = t.code ORDER BY p.year DESC, p.source LIMIT 1)";
const POPULATION_YEAR: &str = "(SELECT p.year FROM population p WHERE p.level = t.level AND p.code = t.code ORDER BY p.year DESC, p.source LIMIT 1)";

/// Area to 3 places (1,000 m²): features and tiles alike; a float8 in tiles costs the same
/// whatever the places, and 2 places rounded the smallest municipalities too coarsely.
pub(super) const AREA: &str = "round(t.area_km2::numeric, 3)";

macro_rules! unit_props {
    ($parent:expr) => {
#[rustfmt::skip]
        const PROPS: &[Prop] = &join::<10>(&UNIT_NAMES, &[
            col!(parent_code, Str, $parent).tiles(),
            p("population", POPULATION, Int, "Population (latest estimate)"),
            p("population_year", POPULATION_YEAR, Int, "Year of the population figure"),
            p("area_km2", AREA, Num, "Area (km²)").tiles(),
            col!(version, Int, "Boundary version"),
            col!(valid_from, DateTime, "Boundary valid since"),
        ]);
    };
}

macro_rules! unit_layer {
    ($id:expr, $level:expr, $title:expr, $fr:expr, $ar:expr, $desc:expr, $tiles:expr, $parent:expr) => {{
        unit_props!($parent);
        Layer {
            id: $id,
            title: $title,
            title_fr: $fr,
            title_ar: $ar,
            description: $desc,
            table: "admin_unit_current t",
            base_where: concat!("t.level = '", $level, "'"),
            fid: "t.code",
            fid_type: Str,
            geometry_type: "MultiPolygon",
            geojson: Some("t.geojson"),
            props: PROPS,
            temporal: Some(("t.valid_from", "t.valid_to")),
            tiles: Some(TileSpec {
                id: $id,
                description: concat!(
                    $tiles,
                    ", current boundaries (polygons, plus one label point per unit)"
                ),
                minzoom: 0,
                extra: &[],
            }),
            ..Layer::DEFAULT
        }
    }};
}

pub static MUNICIPALITIES: Layer = unit_layer!(
    "municipalities",
    "municipality",
    "Municipalities",
    "Communes",
    "البلديات",
    "The 350 municipalities (communes) covering Tunisia, current boundaries, with the latest population estimate.",
    "The 350 municipalities (communes)",
    "Governorate code"
);

pub static DELEGATIONS: Layer = unit_layer!(
    "delegations",
    "delegation",
    "Delegations",
    "Délégations",
    "المعتمديات",
    "Delegations (mu'tamadiyat), the State's sub-governorate units, current boundaries.",
    "Delegations (mu'tamadiyat)",
    "Governorate code"
);

pub static GOVERNORATES: Layer = unit_layer!(
    "governorates",
    "governorate",
    "Governorates",
    "Gouvernorats",
    "الولايات",
    "The 24 governorates, current boundaries.",
    "The 24 governorates",
    "Parent code"
);
