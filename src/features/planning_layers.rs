//! The property lists of the planning collections (`indicators-*`, `conformity`), declared in
//! [`super::catalog::COLLECTIONS`] like the others: SQL over the planning views of migration 0005.
use super::catalog::{p, PType, Prop};

/// The choropleth-ready indicators of a unit (`mk_unit_indicators`, docs/planning.md): one row per
/// current unit of the collection's level, figures kept current by the database.
pub const INDICATOR_PROPS: &[Prop] = &[
    p("code", "t.code", PType::Str, "Official code"),
    p("name_ar", "t.name_ar", PType::Str, "Name (Arabic)"),
    p("name_fr", "t.name_fr", PType::Str, "Name (French)"),
    p("name_en", "t.name_en", PType::Str, "Name (English)"),
    p("parent_code", "t.parent_code", PType::Str, "Parent code"),
    p(
        "governorate_code",
        "t.governorate_code",
        PType::Str,
        "Governorate code",
    ),
    p("population", "t.population", PType::Int, "Population"),
    p(
        "population_year",
        "t.population_year",
        PType::Int,
        "Year of the population figure",
    ),
    p(
        "population_source",
        "t.population_source",
        PType::Str,
        "Source of the population figure",
    ),
    p(
        "project_count",
        "t.project_count",
        PType::Int,
        "Projects (apportioned locations counted once)",
    ),
    p(
        "budget_tnd",
        "t.budget_tnd",
        PType::Num,
        "Budget apportioned to the unit (TND)",
    ),
    p(
        "budget_per_inhabitant",
        "t.budget_per_inhabitant",
        PType::Num,
        "Budget per inhabitant (TND)",
    ),
    p(
        "beneficiaries",
        "t.beneficiaries",
        PType::Int,
        "Beneficiaries (apportioned)",
    ),
    p(
        "committed_tnd",
        "t.committed_tnd",
        PType::Num,
        "Committed (TND)",
    ),
    p("paid_tnd", "t.paid_tnd", PType::Num, "Paid (TND)"),
    p(
        "execution_rate",
        "t.execution_rate",
        PType::Num,
        "Financial execution rate (paid / budget)",
    ),
    p(
        "delayed_count",
        "t.delayed_count",
        PType::Int,
        "Delayed projects",
    ),
    p(
        "blocked_count",
        "t.blocked_count",
        PType::Int,
        "Blocked projects",
    ),
    p(
        "rank_in_governorate",
        "t.rank_in_governorate",
        PType::Int,
        "Rank by budget per inhabitant within the governorate",
    ),
    p(
        "units_in_governorate",
        "t.units_in_governorate",
        PType::Int,
        "Units ranked",
    ),
    p(
        "school_per_10k",
        "t.school_per_10k",
        PType::Num,
        "Schools per 10,000 inhabitants",
    ),
    p(
        "school_nearest_km",
        "t.school_nearest_km",
        PType::Num,
        "Main settlement to the nearest school (km)",
    ),
    p(
        "health_per_10k",
        "t.health_per_10k",
        PType::Num,
        "Health facilities per 10,000 inhabitants",
    ),
    p(
        "health_nearest_km",
        "t.health_nearest_km",
        PType::Num,
        "Main settlement to the nearest health facility (km)",
    ),
    p(
        "administration_per_10k",
        "t.administration_per_10k",
        PType::Num,
        "Administrations per 10,000 inhabitants",
    ),
    p(
        "administration_nearest_km",
        "t.administration_nearest_km",
        PType::Num,
        "Main settlement to the nearest administration (km)",
    ),
    p(
        "post_per_10k",
        "t.post_per_10k",
        PType::Num,
        "Post offices per 10,000 inhabitants",
    ),
    p(
        "post_nearest_km",
        "t.post_nearest_km",
        PType::Num,
        "Main settlement to the nearest post office (km)",
    ),
    p(
        "police_per_10k",
        "t.police_per_10k",
        PType::Num,
        "Police stations per 10,000 inhabitants",
    ),
    p(
        "police_nearest_km",
        "t.police_nearest_km",
        PType::Num,
        "Main settlement to the nearest police station (km)",
    ),
    p(
        "computed_at",
        "t.computed_at",
        PType::DateTime,
        "Figures computed at",
    ),
];

/// Project locations with their land-use verdicts (`project_conformity_layer`); `id` is the
/// project's, so the project visibility rule applies as it does to `projects`.
pub const CONFORMITY_TABLE: &str =
    "(SELECT c.*, c.project_id AS id FROM project_conformity_layer c) t";

pub const CONFORMITY_PROPS: &[Prop] = &[
    p("project_code", "t.project_code", PType::Str, "Project code"),
    p("title_fr", "t.title_fr", PType::Str, "Title (French)"),
    p("title_ar", "t.title_ar", PType::Str, "Title (Arabic)"),
    p("project_type", "t.project_type", PType::Str, "Project type"),
    p("theme", "t.theme", PType::Str, "Theme"),
    p("status", "t.status", PType::Str, "Lifecycle status"),
    p(
        "partner",
        "t.partner",
        PType::Str,
        "Partner owning the record",
    ),
    p("precision", "t.precision", PType::Str, "Location precision"),
    p("place_name", "t.place_name", PType::Str, "Place name"),
    p(
        "verdict",
        "t.verdict",
        PType::Str,
        "Project verdict: allowed, conditional, forbidden, not_assessed",
    ),
    p(
        "location_verdict",
        "t.location_verdict",
        PType::Str,
        "Verdict of this location",
    ),
    p("verdict_reason", "t.verdict_reason", PType::Str, "Why"),
    p(
        "forbidden_share",
        "t.forbidden_share",
        PType::Num,
        "Share of the location in zones where it is forbidden",
    ),
    p(
        "conditional_share",
        "t.conditional_share",
        PType::Num,
        "Share in zones where it is conditional",
    ),
    p(
        "allowed_share",
        "t.allowed_share",
        PType::Num,
        "Share in zones where it is allowed",
    ),
    p(
        "outside_share",
        "t.outside_share",
        PType::Num,
        "Share outside every zone",
    ),
    p("summary_fr", "t.summary_fr", PType::Str, "Summary (French)"),
    p("summary_ar", "t.summary_ar", PType::Str, "Summary (Arabic)"),
    p(
        "municipality_codes",
        "array_to_string(t.municipality_codes, ',')",
        PType::Str,
        "Municipalities of the location (codes, comma-separated)",
    ),
    p(
        "computed_at",
        "t.computed_at",
        PType::DateTime,
        "Verdict computed at",
    ),
];
