//! Public facilities from OpenStreetMap.
use super::common::{NAME_AR, NAME_FR, SOURCE};
use super::{col, Layer, Prop, TileSpec};

/// The kinds a facility may have: checked by the importer, offered to scenarios.
pub const KINDS: &[&str] = &[
    "school",
    "health",
    "administration",
    "post",
    "police",
    "other",
];

#[rustfmt::skip]
const PROPS: &[Prop] = &[
    col!(source_id, Str, "Source identifier (e.g. osm:node/…)"),
    col!(kind, Str, "Kind (school, health, administration, post, police, other)").tiles(),
    col!(subtype, Str, "Subtype").tiles(),
    col!(name, Str, "Name").tiles(),
    NAME_AR.tiles(),
    NAME_FR.tiles(),
    SOURCE,
];

pub static FACILITIES: Layer = Layer {
    id: "facilities",
    title: "Facilities",
    title_fr: "Équipements",
    title_ar: "المرافق",
    description:
        "Public facilities (schools, health, administration, post, police) from OpenStreetMap.",
    table: "facility t",
    geometry_type: "Point",
    props: PROPS,
    tiles: Some(TileSpec {
        id: "facilities",
        description: "Schools, health, administration, post and police (OpenStreetMap)",
        minzoom: 10,
        extra: &[],
    }),
    ..Layer::DEFAULT
};
