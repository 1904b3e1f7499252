//! The tile sources: a static allow-list. Every identifier and SQL expression a tile query uses
//! comes from here, never from a request.
use crate::cql::{QType, Queryables};

/// Highest zoom announced to clients (they overzoom beyond it); tiles are still served up to
/// [`MAX_SERVED_ZOOM`].
pub const MAX_ZOOM: u8 = 14;
pub const MAX_SERVED_ZOOM: u8 = 22;
/// Generalisation bands (see migrations/0002_tiles.sql): zooms below use the first band, zooms
/// above the last use exact geometry.
pub const FIRST_BAND: u8 = 5;
pub const LAST_BAND: u8 = 11;
/// Extent of tiles read from a generalised band (one unit = one CSS pixel of a 512-pixel tile).
pub const BAND_EXTENT: u32 = 512;
/// Extent of tiles read from exact geometry.
pub const EXACT_EXTENT: u32 = 4096;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Source {
    Municipalities,
    Delegations,
    Governorates,
    Landuse,
    Projects,
    Facilities,
    Indicators,
}

/// A field of a layer: name, MVT/TileJSON type description and the CQL2 type.
pub struct Field {
    pub name: &'static str,
    pub sql: &'static str,
    pub ty: QType,
    pub doc: &'static str,
}

const fn f(name: &'static str, sql: &'static str, ty: QType, doc: &'static str) -> Field {
    Field { name, sql, ty, doc }
}

macro_rules! unit_fields {
    ($($extra:expr),* $(,)?) => {
        &[
    f("code", "u.code", QType::Text, "Official code"),
    f("name_ar", "u.name_ar", QType::Text, "Name in Arabic"),
    f("name_fr", "u.name_fr", QType::Text, "Name in French"),
    f("name_en", "u.name_en", QType::Text, "Name in English"),
    f(
        "parent_code",
        "u.parent_code",
        QType::Text,
        "Code of the parent unit",
    ),
    f(
        "area_km2",
        "round(u.area_km2::numeric, 2)::float8",
        QType::Number,
        "Area in km²",
    ),
            $($extra,)*
        ]
    };
}

const UNIT_FIELDS: &[Field] = unit_fields!();

/// The `indicators` source: municipal boundaries with their planning figures, for choropleth maps.
const INDICATOR_FIELDS: &[Field] = unit_fields!(
    // the figures the database keeps per unit (unit_indicator, migration 0005), as in
    // /api/indicators and the indicators-* collections; tiles drop when they change (migration 0008)
    f("population", POPULATION, QType::Integer, "Population (latest figure)"),
    f(
        "project_count",
        "coalesce((SELECT i.project_count FROM unit_indicator i WHERE i.level = u.level AND i.bucket = u.code), 0)",
        QType::Integer,
        "Projects located in the unit",
    ),
    f(
        "budget_tnd",
        "coalesce((SELECT i.budget_tnd FROM unit_indicator i WHERE i.level = u.level AND i.bucket = u.code), 0)::float8",
        QType::Number,
        "Budget apportioned to the unit (TND)",
    ),
    f(
        "budget_per_inhabitant",
        concat!(
            "round(coalesce((SELECT i.budget_tnd FROM unit_indicator i WHERE i.level = u.level AND i.bucket = u.code), 0) / nullif(",
            "(SELECT p.population FROM population p WHERE p.level = u.level AND p.code = u.code ORDER BY p.year DESC, p.source LIMIT 1)",
            ", 0), 3)::float8"
        ),
        QType::Number,
        "Budget per inhabitant (TND)",
    ),
    f(
        "execution_rate",
        "(SELECT round(i.paid_tnd / nullif(i.budget_tnd, 0), 4)::float8 FROM unit_indicator i WHERE i.level = u.level AND i.bucket = u.code)",
        QType::Number,
        "Financial execution rate (paid / budget)",
    ),
    f(
        "delayed_count",
        "coalesce((SELECT i.delayed_count FROM unit_indicator i WHERE i.level = u.level AND i.bucket = u.code), 0)",
        QType::Integer,
        "Delayed projects",
    ),
    f(
        "blocked_count",
        "coalesce((SELECT i.blocked_count FROM unit_indicator i WHERE i.level = u.level AND i.bucket = u.code), 0)",
        QType::Integer,
        "Blocked projects",
    ),
);

const POPULATION: &str = "(SELECT p.population FROM population p WHERE p.level = u.level AND p.code = u.code ORDER BY p.year DESC, p.source LIMIT 1)";

const LANDUSE_FIELDS: &[Field] = &[
    f("class", "z.class", QType::Text, "Normalised land-use class"),
    f(
        "family",
        "c.family",
        QType::Text,
        "Class family: zoning or perimeter",
    ),
    f("class_fr", "c.name_fr", QType::Text, "Class name in French"),
    f("class_ar", "c.name_ar", QType::Text, "Class name in Arabic"),
    f(
        "zone_code",
        "z.zone_code",
        QType::Text,
        "Local zone code (UA, UB, NA…)",
    ),
    f(
        "label_fr",
        "z.label_fr",
        QType::Text,
        "Zone label in French",
    ),
    f(
        "label_ar",
        "z.label_ar",
        QType::Text,
        "Zone label in Arabic",
    ),
    f("layer", "l.slug", QType::Text, "Land-use layer"),
    f(
        "kind",
        "l.kind",
        QType::Text,
        "Layer kind: zoning_plan, constraint, perimeter",
    ),
    f(
        "municipality_code",
        "z.municipality_code",
        QType::Text,
        "Municipality code",
    ),
];

const PROJECT_FIELDS: &[Field] = &[
    f("project_id", "p.id", QType::Integer, "Project id"),
    f("code", "p.code", QType::Text, "Project code"),
    f("title_fr", "p.title_fr", QType::Text, "Title in French"),
    f("title_ar", "p.title_ar", QType::Text, "Title in Arabic"),
    f("title_en", "p.title_en", QType::Text, "Title in English"),
    f("theme", "p.theme", QType::Text, "Theme"),
    f(
        "project_type",
        "p.project_type",
        QType::Text,
        "Project type",
    ),
    f("status", "p.status", QType::Text, "Lifecycle status"),
    f(
        "budget_tnd",
        "p.budget_tnd::float8",
        QType::Number,
        "Total budget (TND)",
    ),
    f(
        "progress",
        "(SELECT e.physical_pct::float8 FROM project_event e WHERE e.project_id = p.id \
         AND e.physical_pct IS NOT NULL ORDER BY e.at DESC, e.id DESC LIMIT 1)",
        QType::Number,
        "Physical progress (%), latest report",
    ),
    f(
        "start_year",
        "extract(year FROM coalesce(p.actual_start, p.planned_start))::int",
        QType::Integer,
        "Start year",
    ),
    f(
        "end_year",
        "extract(year FROM coalesce(p.actual_end, p.planned_end))::int",
        QType::Integer,
        "End year",
    ),
    f(
        "precision",
        "pl.precision",
        QType::Text,
        "Location precision: exact, approximate, municipality, delegation, governorate",
    ),
    f("place_name", "pl.place_name", QType::Text, "Place name"),
];

const FACILITY_FIELDS: &[Field] = &[
    f(
        "kind",
        "t.kind",
        QType::Text,
        "school, health, administration, post, police, other",
    ),
    f(
        "subtype",
        "t.subtype",
        QType::Text,
        "Finer type (e.g. pharmacy)",
    ),
    f("name", "t.name", QType::Text, "Name"),
    f("name_ar", "t.name_ar", QType::Text, "Name in Arabic"),
    f("name_fr", "t.name_fr", QType::Text, "Name in French"),
];

impl Source {
    pub const ALL: [Source; 7] = [
        Source::Municipalities,
        Source::Delegations,
        Source::Governorates,
        Source::Landuse,
        Source::Projects,
        Source::Facilities,
        Source::Indicators,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Source::Municipalities => "municipalities",
            Source::Delegations => "delegations",
            Source::Governorates => "governorates",
            Source::Landuse => "landuse",
            Source::Projects => "projects",
            Source::Facilities => "facilities",
            Source::Indicators => "indicators",
        }
    }

    pub fn parse(s: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|x| x.id() == s)
    }

    /// Bit of this source in a set of sources.
    pub fn bit(self) -> u8 {
        1 << (self as u8)
    }

    pub fn title(self) -> (&'static str, &'static str) {
        match self {
            Source::Municipalities => ("Communes", "البلديات"),
            Source::Delegations => ("Délégations", "المعتمديات"),
            Source::Governorates => ("Gouvernorats", "الولايات"),
            Source::Landuse => ("Occupation du sol", "استعمال الأراضي"),
            Source::Projects => ("Projets de développement", "المشاريع التنموية"),
            Source::Facilities => ("Équipements", "المرافق"),
            Source::Indicators => ("Indicateurs communaux", "مؤشرات البلديات"),
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Source::Municipalities => "The 350 municipalities (communes), current boundaries (polygons, plus one label point per unit)",
            Source::Delegations => "Delegations (mu'tamadiyat), current boundaries (polygons, plus one label point per unit)",
            Source::Governorates => "The 24 governorates, current boundaries (polygons, plus one label point per unit)",
            Source::Landuse => "Land-use zones (zoning plans, constraints, perimeters) by class",
            Source::Projects => {
                "Development projects: exact locations as drawn; locations that stand for a \
                 municipality, delegation or governorate as that unit's polygon (precision says \
                 which); national locations are not drawn"
            }
            Source::Facilities => {
                "Schools, health, administration, post and police (OpenStreetMap)"
            }
            Source::Indicators => {
                "The municipalities with their planning indicators (population, projects, budget \
                 per inhabitant, execution rate, delayed and blocked projects), for choropleth maps"
            }
        }
    }

    pub fn minzoom(self) -> u8 {
        match self {
            Source::Facilities => 10,
            // zoning and perimeters are sub-pixel noise on a national view
            Source::Landuse => 8,
            _ => 0,
        }
    }

    pub fn fields(self) -> &'static [Field] {
        match self {
            Source::Municipalities | Source::Delegations | Source::Governorates => UNIT_FIELDS,
            Source::Indicators => INDICATOR_FIELDS,
            Source::Landuse => LANDUSE_FIELDS,
            Source::Projects => PROJECT_FIELDS,
            Source::Facilities => FACILITY_FIELDS,
        }
    }

    /// The admin level of a boundary source.
    pub fn level(self) -> Option<&'static str> {
        match self {
            Source::Municipalities | Source::Indicators => Some("municipality"),
            Source::Delegations => Some("delegation"),
            Source::Governorates => Some("governorate"),
            _ => None,
        }
    }

    /// What a CQL2 `filter` may name on this layer: its attributes (and nothing else).
    pub fn queryables(self) -> Queryables {
        let mut q = Queryables::new();
        for fl in self.fields() {
            q.insert(fl.name, fl.sql, fl.ty);
        }
        q
    }
}

/// Generalisation band of a zoom, or None for exact geometry.
pub fn band(z: u8) -> Option<u8> {
    if z > LAST_BAND {
        None
    } else {
        Some(z.max(FIRST_BAND))
    }
}

pub fn extent(z: u8) -> u32 {
    if band(z).is_some() {
        BAND_EXTENT
    } else {
        EXACT_EXTENT
    }
}

/// Buffer around tiles, in tile units (1/64 of the tile, as is customary).
pub fn buffer(z: u8) -> u32 {
    extent(z) / 64
}
