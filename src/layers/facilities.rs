//! Public facilities from OpenStreetMap.
use super::common::{NAME_AR, NAME_FR, SOURCE};
use super::{p, Layer, PType::*, Prop, TileSpec};

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
    p("source_id", "t.source_id", Str, "Source identifier (e.g. osm:node/…)"),
    p("kind", "t.kind", Str, "Kind (school, health, administration, post, police, other)").tiles(),
    p("subtype", "t.subtype", Str, "Subtype").tiles(),
    p("name", "t.name", Str, "Name").tiles(),
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
