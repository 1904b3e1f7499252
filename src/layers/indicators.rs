//! The choropleth-ready indicators of each current unit (`mk_unit_indicators`, docs/planning.md):
//! the `indicators-*` collections and the `indicators` tiles read the same rows, stored once per
//! data version (`unit_indicators_layer`, migration 0024), not computed per request.
use super::common::{join, UNIT_NAMES};
use super::{col, p, Layer, PType::*, Prop, TileSpec};

/// The unit's area, which the indicators function does not return (tiles only).
const AREA: &str =
    "(SELECT round(a.area_km2::numeric, 3) FROM admin_unit a WHERE a.id = t.unit_id)";

#[rustfmt::skip]
const PROPS: &[Prop] = &join::<31>(&UNIT_NAMES, &[
    col!(parent_code, Str, "Parent code").tiles(),
    col!(governorate_code, Str, "Governorate code"),
    col!(population, Int, "Population").tiles(),
    col!(population_year, Int, "Year of the population figure"),
    col!(population_source, Str, "Source of the population figure"),
    col!(project_count, Int, "Projects (apportioned locations counted once)").tiles(),
    col!(budget_tnd, Num, "Budget apportioned to the unit (TND)").tiles(),
    col!(budget_per_inhabitant, Num, "Budget per inhabitant (TND)").tiles(),
    col!(beneficiaries, Int, "Beneficiaries (apportioned)"),
    col!(committed_tnd, Num, "Committed (TND)"),
    col!(paid_tnd, Num, "Paid (TND)"),
    col!(execution_rate, Num, "Financial execution rate (paid / budget)").tiles(),
    col!(delayed_count, Int, "Delayed projects").tiles(),
    col!(blocked_count, Int, "Blocked projects").tiles(),
    col!(rank_in_governorate, Int, "Rank by budget per inhabitant within the governorate"),
    col!(units_in_governorate, Int, "Units ranked"),
    col!(school_per_10k, Num, "Schools per 10,000 inhabitants"),
    col!(school_nearest_km, Num, "Main settlement to the nearest school (km)"),
    col!(health_per_10k, Num, "Health facilities per 10,000 inhabitants"),
    col!(health_nearest_km, Num, "Main settlement to the nearest health facility (km)"),
    col!(administration_per_10k, Num, "Administrations per 10,000 inhabitants"),
    col!(administration_nearest_km, Num, "Main settlement to the nearest administration (km)"),
    col!(post_per_10k, Num, "Post offices per 10,000 inhabitants"),
    col!(post_nearest_km, Num, "Main settlement to the nearest post office (km)"),
    col!(police_per_10k, Num, "Police stations per 10,000 inhabitants"),
    col!(police_nearest_km, Num, "Main settlement to the nearest police station (km)"),
    col!(computed_at, DateTime, "Figures computed at"),
]);

/// The rows of one level: `FROM` item aliased `t` (also joined by the `indicators` tiles).
macro_rules! rows {
    ($level:literal) => {
        concat!(
            "(SELECT * FROM unit_indicators_layer WHERE level = '",
            $level,
            "') t"
        )
    };
}

macro_rules! indicators {
    ($id:literal, $level:literal, $title:literal, $fr:literal, $ar:literal, $tiles:expr) => {
        Layer {
            id: $id,
            title: $title,
            title_fr: $fr,
            title_ar: $ar,
            description: concat!(
                "Planning indicators of every current ", $level,
                " (projects, budget per inhabitant, execution, delays, facilities per 10,000 inhabitants \
                 and distance to the nearest), ready for a choropleth map. See docs/planning.md."
            ),
            table: rows!($level),
            fid: "t.code",
            fid_type: Str,
            geometry_type: "MultiPolygon",
            props: PROPS,
            tiles: $tiles,
            ..Layer::DEFAULT
        }
    };
}

pub static MUNICIPALITIES: Layer = indicators!(
    "indicators-municipalities",
    "municipality",
    "Municipal indicators",
    "Indicateurs communaux",
    "مؤشرات البلديات",
    Some(TileSpec {
        id: "indicators",
        description:
            "The municipalities with their planning indicators (population, projects, budget \
             per inhabitant, execution rate, delayed and blocked projects), for choropleth maps",
        minzoom: 0,
        extra: &[p("area_km2", AREA, Num, "Area (km²)").tiles()],
    })
);

pub static DELEGATIONS: Layer = indicators!(
    "indicators-delegations",
    "delegation",
    "Delegation indicators",
    "Indicateurs des délégations",
    "مؤشرات المعتمديات",
    None
);

pub static GOVERNORATES: Layer = indicators!(
    "indicators-governorates",
    "governorate",
    "Governorate indicators",
    "Indicateurs des gouvernorats",
    "مؤشرات الولايات",
    None
);
