//! Land-use zones of the zoning plans (PAU), perimeters and constraints.
use super::common::MUNICIPALITY_CODE;
use super::{col, p, Layer, PType::*, Prop, TileSpec, Writable};

/// The zone's layer and class, read by features and tiles alike (both NOT NULL references).
macro_rules! joins {
    () => {
        "JOIN landuse_layer l ON l.id = t.layer_id JOIN landuse_class c ON c.class = t.class"
    };
}

#[rustfmt::skip]
const PROPS: &[Prop] = &[
    p("layer", "l.slug", Str, "Land-use layer").tiles(),
    p("layer_kind", "l.kind", Str, "Layer kind: zoning_plan, constraint, perimeter").tile_as("kind"),
    col!(source_id, Str, "Zone identifier in its source"),
    col!(zone_code, Str, "Local zone code (UA, UB, NA…)").tiles(),
    col!(class, Str, "National zone class").tiles(),
    p("class_fr", "c.name_fr", Str, "Class (French)").tiles(),
    p("class_ar", "c.name_ar", Str, "Class (Arabic)").tiles(),
    MUNICIPALITY_CODE.tiles(),
    col!(label_fr, Str, "Label (French)").tiles(),
    col!(label_ar, Str, "Label (Arabic)").tiles(),
    p("approved_on", "l.approved_on", Date, "Plan approved on"),
];

pub static LANDUSE: Layer = Layer {
    id: "landuse",
    title: "Land use",
    title_fr: "Occupation du sol",
    title_ar: "استعمال الأراضي",
    description:
        "Zones of the zoning plans (PAU), perimeters and constraints, with their national class.",
    table: concat!("landuse_zone t ", joins!()),
    geometry_type: "MultiPolygon",
    props: PROPS,
    temporal: Some(("l.approved_on::timestamptz", "NULL::timestamptz")),
    writable: Writable::Landuse,
    tiles: Some(TileSpec {
        id: "landuse",
        description: "Land-use zones (zoning plans, constraints, perimeters) by class",
        // zoning and perimeters are sub-pixel noise on a national view
        minzoom: 8,
        extra: &[p(
            "family",
            "c.family",
            Str,
            "Class family: zoning or perimeter",
        )
        .tiles()],
    }),
    ..Layer::DEFAULT
};

/// What tiles join to a zone `t` (the same as the collection's `FROM`).
pub const TILE_JOINS: &str = joins!();
