//! The layer registry: every layer this server publishes, described once — its rows (table,
//! key, geometry, time span, visibility), its properties (name, type, title, SQL expression) and
//! where it is published. The features collections, their queryables, CQL2 allow-lists and
//! OpenAPI schemas, the tile sources' SQL and the TileJSON `vector_layers` are all derived from
//! here (docs/layers.md says how to add a layer).
//!
//! Every SQL identifier and expression used by features and tiles comes from here, never from a
//! request. A layer's rows are one `FROM` item aliased `t` (joins allowed) plus a fixed base
//! condition; properties are SQL expressions over `t` and the joined tables.
pub mod common;
pub mod facilities;
pub mod indicators;
pub mod landuse;
pub mod participation;
pub mod projects;
pub mod units;

use crate::cql::QType;

/// The type of a property, as JSON Schema, CSV, GeoPackage, CQL2 and vector tiles see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PType {
    Str,
    Int,
    Num,
    Bool,
    Date,
    DateTime,
}

impl PType {
    /// JSON Schema of the type: the one its CQL2 type publishes.
    pub fn json_schema(self) -> serde_json::Value {
        self.qtype().json_schema()
    }

    /// The type CQL2 filters compare this property as.
    pub fn qtype(self) -> QType {
        match self {
            PType::Str => QType::Text,
            PType::Int => QType::Integer,
            PType::Num => QType::Number,
            PType::Bool => QType::Boolean,
            PType::Date => QType::Date,
            PType::DateTime => QType::Timestamp,
        }
    }

    /// TileJSON `vector_layers[].fields` type.
    pub fn tile_type(self) -> &'static str {
        match self {
            PType::Int | PType::Num => "Number",
            PType::Bool => "Boolean",
            _ => "String",
        }
    }
}

/// One property of a layer.
#[derive(Debug, Clone, Copy)]
pub struct Prop {
    pub name: &'static str,
    /// SQL over the layer's row `t` (and its joins), rounding included.
    pub sql: &'static str,
    pub ty: PType,
    pub title: &'static str,
    /// Its name in vector tiles (a public contract of `styles/`), None when not in tiles.
    pub tile: Option<&'static str>,
}

/// A property of the features collection only whose SQL is the plain column `t.<name>`: the
/// name written once (`col!(title, Str, "Title")` is `p("title", "t.title", Str, "Title")`).
macro_rules! col {
    ($name:ident, $ty:ident, $title:literal) => {
        $crate::layers::p(
            stringify!($name),
            concat!("t.", stringify!($name)),
            $crate::layers::PType::$ty,
            $title,
        )
    };
}
pub(crate) use col;

/// A property of the features collection only.
pub const fn p(name: &'static str, sql: &'static str, ty: PType, title: &'static str) -> Prop {
    Prop {
        name,
        sql,
        ty,
        title,
        tile: None,
    }
}

impl Prop {
    /// Also in the layer's vector tiles, under the same name.
    pub const fn tiles(self) -> Prop {
        Prop {
            tile: Some(self.name),
            ..self
        }
    }

    /// Also in the layer's vector tiles, under another name (kept for existing styles).
    pub const fn tile_as(self, name: &'static str) -> Prop {
        Prop {
            tile: Some(name),
            ..self
        }
    }

    /// The expression as a tile column: numbers as float8 (ST_AsMVT writes numeric as text),
    /// dates as text.
    pub fn tile_sql(&self) -> String {
        match self.ty {
            PType::Num => format!("({})::float8", self.sql),
            PType::Date | PType::DateTime => format!("({})::text", self.sql),
            _ => self.sql.to_string(),
        }
    }
}

/// Who may write a collection through Part 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writable {
    No,
    /// Projects: admins, planners within their municipalities, partners on their own projects.
    Projects,
    /// Land-use zones: admins only.
    Landuse,
    /// Participation zones: admins, and planners within their municipalities.
    Zones,
}

/// How a layer is published as vector tiles (the tile SQL itself, with its generalisation bands,
/// is built by `tiles::sql` from the layer's rows and properties).
#[derive(Debug)]
pub struct TileSpec {
    /// Source id in tile URLs and the MVT layer name.
    pub id: &'static str,
    pub description: &'static str,
    /// Below this zoom the layer is left out of tiles.
    pub minzoom: u8,
    /// Properties only tiles carry (after the layer's own tiled properties).
    pub extra: &'static [Prop],
}

#[derive(Debug)]
pub struct Layer {
    pub id: &'static str,
    pub title: &'static str,
    pub title_fr: &'static str,
    pub title_ar: &'static str,
    pub description: &'static str,
    /// `FROM` item, always aliased `t`, with the joins the properties read.
    pub table: &'static str,
    /// Condition every row of the layer meets.
    pub base_where: &'static str,
    pub fid: &'static str,
    pub fid_type: PType,
    /// Geometry expression, EPSG:4326.
    pub geometry_type: &'static str,
    pub geom: &'static str,
    /// SQL of `geom` as anonymous callers read it, already written as GeoJSON text in CRS84 with 7
    /// decimals (a stored column, migration 0031): items print it instead of computing
    /// `ST_AsGeoJSON(geom, 7)` when that is their output (docs/features.md, "Stored GeoJSON").
    pub geojson: Option<&'static str>,
    /// The properties of the features collection; those marked `tiles` also go in tiles.
    pub props: &'static [Prop],
    /// Start and end of the feature's time span (SQL, may be NULL = open).
    pub temporal: Option<(&'static str, &'static str)>,
    /// Rows are projects (or stand for one through `t.id`), filtered by the caller's
    /// visibility: `auth::visibility`, SQL `mk_project_visible`.
    pub scoped: bool,
    pub writable: Writable,
    /// Published under /collections.
    pub collection: bool,
    pub tiles: Option<TileSpec>,
}

impl Layer {
    /// What most layers share, for `..Layer::DEFAULT` in their entries: rows keyed by the integer
    /// `t.id`, the plain column `t.geom`, no base condition, no time span, not scoped, read-only,
    /// published as a collection, not in tiles. Every entry sets its id, titles, description,
    /// table, geometry type and properties.
    pub const DEFAULT: Layer = Layer {
        id: "",
        title: "",
        title_fr: "",
        title_ar: "",
        description: "",
        table: "",
        base_where: "TRUE",
        fid: "t.id",
        fid_type: PType::Int,
        geometry_type: "Geometry",
        geom: "t.geom",
        geojson: None,
        props: &[],
        temporal: None,
        scoped: false,
        writable: Writable::No,
        collection: true,
        tiles: None,
    };

    pub fn prop(&self, name: &str) -> Option<&'static Prop> {
        self.props.iter().find(|p| p.name == name)
    }

    /// True when the geometry is the collection of a project's locations (`projects`): a box or
    /// an extent then reads each location's public geometry (docs/disclosure.md). Every other
    /// layer's `geom` is an expression of its own row.
    pub fn geom_is_project_locations(&self) -> bool {
        self.geom == projects::PROJECT_GEOM
    }

    /// The properties its tiles carry, in order: (tile name, property).
    pub fn tile_props(&'static self) -> impl Iterator<Item = (&'static str, &'static Prop)> {
        let extra = self.tiles.as_ref().map_or(&[][..], |t| t.extra);
        self.props
            .iter()
            .chain(extra)
            .filter_map(|p| p.tile.map(|name| (name, p)))
    }
}

/// Every layer, features collections in the order /collections lists them.
pub static LAYERS: &[&Layer] = &[
    &units::MUNICIPALITIES,
    &units::DELEGATIONS,
    &units::GOVERNORATES,
    &landuse::LANDUSE,
    &projects::PROJECTS,
    &facilities::FACILITIES,
    &indicators::MUNICIPALITIES,
    &indicators::DELEGATIONS,
    &indicators::GOVERNORATES,
    &projects::CONFORMITY,
    &projects::PROJECT_LOCATIONS,
    &participation::PLANS,
    &participation::ZONES,
    &participation::PROPOSALS,
    &participation::MEETINGS,
];

/// The features collections.
pub fn collections() -> impl Iterator<Item = &'static Layer> {
    LAYERS.iter().copied().filter(|l| l.collection)
}

/// A features collection by id.
pub fn find(id: &str) -> Option<&'static Layer> {
    collections().find(|c| c.id == id)
}

/// The layer a tile source reads.
pub fn tile_layer(id: &str) -> Option<&'static Layer> {
    LAYERS
        .iter()
        .copied()
        .find(|l| l.tiles.as_ref().is_some_and(|t| t.id == id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn safe(name: &str) -> bool {
        name.chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
    }

    #[test]
    fn names_are_unique_and_safe() {
        for c in LAYERS {
            let mut seen = std::collections::HashSet::new();
            for p in c.props {
                assert!(seen.insert(p.name), "{}: duplicate {}", c.id, p.name);
                assert!(safe(p.name), "{}: {}", c.id, p.name);
                assert_ne!(p.name, "geometry");
            }
            let mut tiled = std::collections::HashSet::new();
            for (name, _) in c.tile_props() {
                assert!(tiled.insert(name), "{}: duplicate tile field {name}", c.id);
                assert!(safe(name), "{}: {name}", c.id);
            }
        }
    }

    #[test]
    fn entries_set_what_the_default_leaves_empty() {
        for l in LAYERS {
            let set = [
                l.id,
                l.title,
                l.title_fr,
                l.title_ar,
                l.description,
                l.table,
            ];
            assert!(
                set.iter().all(|v| !v.is_empty()),
                "{}: id, titles, description and table must all be set: {set:?}",
                l.id
            );
            assert!(!l.props.is_empty(), "{}: no properties", l.id);
        }
    }

    #[test]
    fn ids_are_unique() {
        let mut ids = std::collections::HashSet::new();
        let mut tiles = std::collections::HashSet::new();
        for l in LAYERS {
            assert!(ids.insert(l.id), "{}", l.id);
            if let Some(t) = &l.tiles {
                assert!(tiles.insert(t.id), "{}", t.id);
            }
        }
    }
}
