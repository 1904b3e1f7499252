//! Public facilities from OpenStreetMap.
use super::{p, Layer, PType::*, Prop, TileSpec, Writable};

#[rustfmt::skip]
const PROPS: &[Prop] = &[
    p("source_id", "t.source_id", Str, "Source identifier (e.g. osm:node/…)"),
    p("kind", "t.kind", Str, "Kind (school, health, administration, post, police, other)").tiles(),
    p("subtype", "t.subtype", Str, "Subtype").tiles(),
    p("name", "t.name", Str, "Name").tiles(),
    p("name_ar", "t.name_ar", Str, "Name (Arabic)").tiles(),
    p("name_fr", "t.name_fr", Str, "Name (French)").tiles(),
    p("source", "t.source", Str, "Source"),
];

pub static FACILITIES: Layer = Layer {
    id: "facilities",
    title: "Facilities",
    title_fr: "Équipements",
    title_ar: "المرافق",
    description:
        "Public facilities (schools, health, administration, post, police) from OpenStreetMap.",
    table: "facility t",
    base_where: "TRUE",
    fid: "t.id",
    fid_type: Int,
    geom: "t.geom",
    geometry_type: "Point",
    props: PROPS,
    temporal: None,
    scoped: false,
    writable: Writable::No,
    collection: true,
    tiles: Some(TileSpec {
        id: "facilities",
        description: "Schools, health, administration, post and police (OpenStreetMap)",
        minzoom: 10,
        extra: &[],
    }),
};
