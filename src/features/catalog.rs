//! The collections this server publishes, as a static allow-list: every SQL identifier and
//! expression used by the features API comes from here, never from a request.
//!
//! Each collection reads one table aliased `t` (plus a fixed base condition). Properties are SQL
//! expressions over `t`; derived values (population, status names, a project's geometry) are scalar
//! subqueries, so a page of 100 only computes them for 100 rows and filters can use them all the same.

use super::planning_layers;

/// The type of a property, as JSON Schema, CSV and GeoPackage see it.
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
    pub fn json_schema(self) -> serde_json::Value {
        use serde_json::json;
        match self {
            PType::Str => json!({"type": "string"}),
            PType::Int => json!({"type": "integer"}),
            PType::Num => json!({"type": "number"}),
            PType::Bool => json!({"type": "boolean"}),
            PType::Date => json!({"type": "string", "format": "date"}),
            PType::DateTime => json!({"type": "string", "format": "date-time"}),
        }
    }
}

#[derive(Debug)]
pub struct Prop {
    pub name: &'static str,
    pub sql: &'static str,
    pub ty: PType,
    pub title: &'static str,
}

pub(super) const fn p(
    name: &'static str,
    sql: &'static str,
    ty: PType,
    title: &'static str,
) -> Prop {
    Prop {
        name,
        sql,
        ty,
        title,
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
}

#[derive(Debug)]
pub struct Collection {
    pub id: &'static str,
    pub title: &'static str,
    pub title_fr: &'static str,
    pub title_ar: &'static str,
    pub description: &'static str,
    /// `FROM` item, always aliased `t`.
    pub table: &'static str,
    /// Condition every row of the collection meets.
    pub base_where: &'static str,
    pub fid: &'static str,
    pub fid_type: PType,
    /// Geometry expression, EPSG:4326.
    pub geom: &'static str,
    /// The geometry type most features have (QGIS wants one per layer).
    pub geometry_type: &'static str,
    pub props: &'static [Prop],
    /// Start and end of the feature's time span (SQL, may be NULL = open).
    pub temporal: Option<(&'static str, &'static str)>,
    /// Project collections are filtered by the caller's visibility.
    pub scoped: bool,
    pub writable: Writable,
}

impl Collection {
    pub fn prop(&self, name: &str) -> Option<&'static Prop> {
        self.props.iter().find(|p| p.name == name)
    }
    /// True when the geometry is a plain indexed column (`t.geom`).
    pub fn geom_is_column(&self) -> bool {
        self.geom == "t.geom"
    }
}

pub const POPULATION: &str = "(SELECT p.population FROM population p WHERE p.level = t.level AND p.code = t.code ORDER BY p.year DESC, p.source LIMIT 1)";
const POPULATION_YEAR: &str = "(SELECT p.year FROM population p WHERE p.level = t.level AND p.code = t.code ORDER BY p.year DESC, p.source LIMIT 1)";

macro_rules! unit_props {
    ($parent:expr) => {
        &[
            p("code", "t.code", PType::Str, "Official code"),
            p("name_ar", "t.name_ar", PType::Str, "Name (Arabic)"),
            p("name_fr", "t.name_fr", PType::Str, "Name (French)"),
            p("name_en", "t.name_en", PType::Str, "Name (English)"),
            p("parent_code", "t.parent_code", PType::Str, $parent),
            p(
                "population",
                POPULATION,
                PType::Int,
                "Population (latest estimate)",
            ),
            p(
                "population_year",
                POPULATION_YEAR,
                PType::Int,
                "Year of the population figure",
            ),
            p(
                "area_km2",
                "round(t.area_km2::numeric, 3)",
                PType::Num,
                "Area (km²)",
            ),
            p("version", "t.version", PType::Int, "Boundary version"),
            p(
                "valid_from",
                "t.valid_from",
                PType::DateTime,
                "Boundary valid since",
            ),
        ]
    };
}

const MUNICIPALITY_PROPS: &[Prop] = unit_props!("Governorate code");
const DELEGATION_PROPS: &[Prop] = unit_props!("Governorate code");
const GOVERNORATE_PROPS: &[Prop] = unit_props!("Parent code");

const LANDUSE_PROPS: &[Prop] = &[
    p(
        "layer",
        "(SELECT l.slug FROM landuse_layer l WHERE l.id = t.layer_id)",
        PType::Str,
        "Land-use layer",
    ),
    p(
        "layer_kind",
        "(SELECT l.kind FROM landuse_layer l WHERE l.id = t.layer_id)",
        PType::Str,
        "Layer kind",
    ),
    p(
        "source_id",
        "t.source_id",
        PType::Str,
        "Zone identifier in its source",
    ),
    p(
        "zone_code",
        "t.zone_code",
        PType::Str,
        "Local zone code (UA, UB, NA…)",
    ),
    p("class", "t.class", PType::Str, "National zone class"),
    p(
        "class_fr",
        "(SELECT c.name_fr FROM landuse_class c WHERE c.class = t.class)",
        PType::Str,
        "Class (French)",
    ),
    p(
        "class_ar",
        "(SELECT c.name_ar FROM landuse_class c WHERE c.class = t.class)",
        PType::Str,
        "Class (Arabic)",
    ),
    p(
        "municipality_code",
        "t.municipality_code",
        PType::Str,
        "Municipality code",
    ),
    p("label_fr", "t.label_fr", PType::Str, "Label (French)"),
    p("label_ar", "t.label_ar", PType::Str, "Label (Arabic)"),
    p(
        "approved_on",
        "(SELECT l.approved_on FROM landuse_layer l WHERE l.id = t.layer_id)",
        PType::Date,
        "Plan approved on",
    ),
];

pub const PROJECT_GEOM: &str =
    "(SELECT ST_Collect(l.geom ORDER BY l.id) FROM project_location l WHERE l.project_id = t.id)";

const PROJECT_PROPS: &[Prop] = &[
    p("code", "t.code", PType::Str, "Project code"),
    p("title_fr", "t.title_fr", PType::Str, "Title (French)"),
    p("title_ar", "t.title_ar", PType::Str, "Title (Arabic)"),
    p("title_en", "t.title_en", PType::Str, "Title (English)"),
    p("description_fr", "t.description_fr", PType::Str, "Description (French)"),
    p("description_ar", "t.description_ar", PType::Str, "Description (Arabic)"),
    p("description_en", "t.description_en", PType::Str, "Description (English)"),
    p("theme", "t.theme", PType::Str, "Theme (thematic sector)"),
    p("project_type", "t.project_type", PType::Str, "Project type"),
    p("owner", "t.owner", PType::Str, "Project owner (maître d'ouvrage)"),
    p("partner", "t.partner", PType::Str, "Partner owning the record"),
    p("status", "t.status", PType::Str, "Lifecycle status"),
    p("status_fr", "(SELECT s.name_fr FROM project_status s WHERE s.status = t.status)", PType::Str, "Status (French)"),
    p("status_ar", "(SELECT s.name_ar FROM project_status s WHERE s.status = t.status)", PType::Str, "Status (Arabic)"),
    p("status_en", "(SELECT s.name_en FROM project_status s WHERE s.status = t.status)", PType::Str, "Status (English)"),
    p("planned_start", "t.planned_start", PType::Date, "Planned start"),
    p("planned_end", "t.planned_end", PType::Date, "Planned end"),
    p("actual_start", "t.actual_start", PType::Date, "Actual start"),
    p("actual_end", "t.actual_end", PType::Date, "Actual end"),
    p("budget_tnd", "t.budget_tnd", PType::Num, "Budget (TND)"),
    p("beneficiaries", "t.beneficiaries", PType::Int, "Beneficiaries"),
    p("physical_pct", "(SELECT e.physical_pct FROM project_event e WHERE e.project_id = t.id AND e.physical_pct IS NOT NULL ORDER BY e.at DESC, e.id DESC LIMIT 1)", PType::Num, "Physical progress (%)"),
    p("is_public", "t.is_public", PType::Bool, "Publicly visible"),
    p("locations", "(SELECT count(*) FROM project_location l WHERE l.project_id = t.id)", PType::Int, "Number of locations"),
    p("source", "t.source", PType::Str, "Source"),
    p("created_at", "t.created_at", PType::DateTime, "Created at"),
    p("updated_at", "t.updated_at", PType::DateTime, "Updated at"),
    p("revision", "t.revision", PType::Int, "Revision"),
];

const FACILITY_PROPS: &[Prop] = &[
    p(
        "source_id",
        "t.source_id",
        PType::Str,
        "Source identifier (e.g. osm:node/…)",
    ),
    p(
        "kind",
        "t.kind",
        PType::Str,
        "Kind (school, health, administration, post, police, other)",
    ),
    p("subtype", "t.subtype", PType::Str, "Subtype"),
    p("name", "t.name", PType::Str, "Name"),
    p("name_ar", "t.name_ar", PType::Str, "Name (Arabic)"),
    p("name_fr", "t.name_fr", PType::Str, "Name (French)"),
    p("source", "t.source", PType::Str, "Source"),
];

macro_rules! indicators {
    ($id:expr, $level:expr, $title:expr, $fr:expr, $ar:expr) => {
        Collection {
            id: $id,
            title: $title,
            title_fr: $fr,
            title_ar: $ar,
            description: concat!(
                "Planning indicators of every current ", $level,
                " (projects, budget per inhabitant, execution, delays, facilities per 10,000 inhabitants \
                 and distance to the nearest), ready for a choropleth map. See docs/planning.md."
            ),
            table: concat!("mk_unit_indicators('", $level, "', NULL) t"),
            base_where: "TRUE",
            fid: "t.code",
            fid_type: PType::Str,
            geom: "t.geom",
            geometry_type: "MultiPolygon",
            props: planning_layers::INDICATOR_PROPS,
            temporal: None,
            scoped: false,
            writable: Writable::No,
        }
    };
}

pub static COLLECTIONS: &[Collection] = &[
    Collection {
        id: "municipalities",
        title: "Municipalities",
        title_fr: "Communes",
        title_ar: "البلديات",
        description: "The 350 municipalities (communes) covering Tunisia, current boundaries, with the latest population estimate.",
        table: "admin_unit_current t",
        base_where: "t.level = 'municipality'",
        fid: "t.code",
        fid_type: PType::Str,
        geom: "t.geom",
        geometry_type: "MultiPolygon",
        props: MUNICIPALITY_PROPS,
        temporal: Some(("t.valid_from", "t.valid_to")),
        scoped: false,
        writable: Writable::No,
    },
    Collection {
        id: "delegations",
        title: "Delegations",
        title_fr: "Délégations",
        title_ar: "المعتمديات",
        description: "Delegations (mu'tamadiyat), the State's sub-governorate units, current boundaries.",
        table: "admin_unit_current t",
        base_where: "t.level = 'delegation'",
        fid: "t.code",
        fid_type: PType::Str,
        geom: "t.geom",
        geometry_type: "MultiPolygon",
        props: DELEGATION_PROPS,
        temporal: Some(("t.valid_from", "t.valid_to")),
        scoped: false,
        writable: Writable::No,
    },
    Collection {
        id: "governorates",
        title: "Governorates",
        title_fr: "Gouvernorats",
        title_ar: "الولايات",
        description: "The 24 governorates, current boundaries.",
        table: "admin_unit_current t",
        base_where: "t.level = 'governorate'",
        fid: "t.code",
        fid_type: PType::Str,
        geom: "t.geom",
        geometry_type: "MultiPolygon",
        props: GOVERNORATE_PROPS,
        temporal: Some(("t.valid_from", "t.valid_to")),
        scoped: false,
        writable: Writable::No,
    },
    Collection {
        id: "landuse",
        title: "Land use",
        title_fr: "Occupation du sol",
        title_ar: "استعمال الأراضي",
        description: "Zones of the zoning plans (PAU), perimeters and constraints, with their national class.",
        table: "landuse_zone t",
        base_where: "TRUE",
        fid: "t.id",
        fid_type: PType::Int,
        geom: "t.geom",
        geometry_type: "MultiPolygon",
        props: LANDUSE_PROPS,
        temporal: Some((
            "(SELECT l.approved_on::timestamptz FROM landuse_layer l WHERE l.id = t.layer_id)",
            "NULL::timestamptz",
        )),
        scoped: false,
        writable: Writable::Landuse,
    },
    Collection {
        id: "projects",
        title: "Development projects",
        title_fr: "Projets de développement",
        title_ar: "مشاريع التنمية",
        description: "Development projects. The geometry of a project is the collection of its locations \
            (a MultiPoint when all are points, as in the sample data; a GeometryCollection when kinds are mixed); \
            null when a project has no location yet.",
        table: "project t",
        base_where: "TRUE",
        fid: "t.id",
        fid_type: PType::Int,
        geom: PROJECT_GEOM,
        geometry_type: "MultiPoint",
        props: PROJECT_PROPS,
        temporal: Some((
            "coalesce(t.actual_start, t.planned_start)::timestamptz",
            "coalesce(t.actual_end, t.planned_end)::timestamptz",
        )),
        scoped: true,
        writable: Writable::Projects,
    },
    Collection {
        id: "facilities",
        title: "Facilities",
        title_fr: "Équipements",
        title_ar: "المرافق",
        description: "Public facilities (schools, health, administration, post, police) from OpenStreetMap.",
        table: "facility t",
        base_where: "TRUE",
        fid: "t.id",
        fid_type: PType::Int,
        geom: "t.geom",
        geometry_type: "Point",
        props: FACILITY_PROPS,
        temporal: None,
        scoped: false,
        writable: Writable::No,
    },
    indicators!(
        "indicators-municipalities",
        "municipality",
        "Municipal indicators",
        "Indicateurs communaux",
        "مؤشرات البلديات"
    ),
    indicators!(
        "indicators-delegations",
        "delegation",
        "Delegation indicators",
        "Indicateurs des délégations",
        "مؤشرات المعتمديات"
    ),
    indicators!(
        "indicators-governorates",
        "governorate",
        "Governorate indicators",
        "Indicateurs des gouvernorats",
        "مؤشرات الولايات"
    ),
    Collection {
        id: "conformity",
        title: "Land-use conformity of project locations",
        title_fr: "Conformité des projets au zonage",
        title_ar: "مطابقة المشاريع لأمثلة التهيئة",
        description: "One feature per project location with its land-use verdict and reasons; \
            the non-conforming projects are `verdict IN ('forbidden','conditional')` \
            (filter=verdict IN ('forbidden','conditional')).",
        table: planning_layers::CONFORMITY_TABLE,
        base_where: "TRUE",
        fid: "t.location_id",
        fid_type: PType::Int,
        geom: "t.geom",
        geometry_type: "Geometry",
        props: planning_layers::CONFORMITY_PROPS,
        temporal: None,
        scoped: true,
        writable: Writable::No,
    },
];

pub fn find(id: &str) -> Option<&'static Collection> {
    COLLECTIONS.iter().find(|c| c.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_safe() {
        for c in COLLECTIONS {
            let mut seen = std::collections::HashSet::new();
            for p in c.props {
                assert!(seen.insert(p.name), "{}: duplicate {}", c.id, p.name);
                assert!(p
                    .name
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_'));
                assert_ne!(p.name, "geometry");
            }
        }
    }
}
