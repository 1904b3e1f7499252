//! Development projects: the `projects` collection (one feature a project), their locations in
//! tiles (one feature a location) and the land-use conformity of each location.
use super::common::{SOURCE, TITLE_AR, TITLE_FR};
use super::{col, p, Layer, PType::*, Prop, TileSpec, Writable};

/// The collection of a project's locations as the caller may see them: `mk_location_geom` picks the
/// exact or the public (masked) geometry of each (docs/disclosure.md). Written with the anonymous
/// scope ([`crate::auth::visibility::ANONYMOUS_SCOPE`]), which features bind to the caller's;
/// CQL2 filters read it as written (the public geometry).
pub const PROJECT_GEOM: &str = "(SELECT ST_Collect(mk_location_geom(l.geom, l.public_geom, l.id, \
    t.partner, false, NULL::text, '{}'::text[]) ORDER BY l.id) FROM project_location l WHERE l.project_id = t.id)";

#[rustfmt::skip]
const PROPS: &[Prop] = &[
    col!(code, Str, "Project code"),
    TITLE_FR,
    TITLE_AR,
    col!(title_en, Str, "Title (English)"),
    col!(description_fr, Str, "Description (French)"),
    col!(description_ar, Str, "Description (Arabic)"),
    col!(description_en, Str, "Description (English)"),
    col!(theme, Str, "Theme (thematic sector)"),
    col!(project_type, Str, "Project type"),
    col!(owner, Str, "Project owner (maître d'ouvrage)"),
    col!(partner, Str, "Partner owning the record"),
    col!(status, Str, "Lifecycle status"),
    p("status_fr", "s.name_fr", Str, "Status (French)"),
    p("status_ar", "s.name_ar", Str, "Status (Arabic)"),
    p("status_en", "s.name_en", Str, "Status (English)"),
    col!(planned_start, Date, "Planned start"),
    col!(planned_end, Date, "Planned end"),
    col!(actual_start, Date, "Actual start"),
    col!(actual_end, Date, "Actual end"),
    col!(budget_tnd, Num, "Budget (TND)"),
    col!(beneficiaries, Int, "Beneficiaries"),
    p("physical_pct", "f.physical_pct", Num, "Physical progress (%)"),
    col!(is_public, Bool, "Publicly visible"),
    p("locations", "coalesce(f.locations, 0)", Int, "Number of locations"),
    SOURCE,
    col!(created_at, DateTime, "Created at"),
    col!(updated_at, DateTime, "Updated at"),
    col!(revision, Int, "Revision"),
];

pub static PROJECTS: Layer = Layer {
    id: "projects",
    title: "Development projects",
    title_fr: "Projets de développement",
    title_ar: "مشاريع التنمية",
    description: "Development projects. The geometry of a project is the collection of its locations \
        (a MultiPoint when all are points, as in the sample data; a GeometryCollection when kinds are mixed); \
        null when a project has no location yet.",
    // status names and the stored feature (migration 0031: locations, geometry, latest progress)
    // by key; when unused the joins are removed
    table: "project t LEFT JOIN project_status s ON s.status = t.status \
        LEFT JOIN project_feature f ON f.project_id = t.id",
    geom: PROJECT_GEOM,
    geojson: Some("f.geojson"),
    geometry_type: "MultiPoint",
    props: PROPS,
    temporal: Some((
        "coalesce(t.actual_start, t.planned_start)::timestamptz",
        "coalesce(t.actual_end, t.planned_end)::timestamptz",
    )),
    scoped: true,
    writable: Writable::Projects,
    ..Layer::DEFAULT
};

/// A project title never empty: the language's title, the other one, English, the code.
macro_rules! label {
    ($first:literal, $second:literal) => {
        concat!(
            "coalesce(nullif(btrim(p.title_",
            $first,
            "), ''), nullif(btrim(p.title_",
            $second,
            "), ''), nullif(btrim(p.title_en), ''), p.code)"
        )
    };
}

/// A location `pl` of the project `p` (tiles keep the alias `p` of the visibility rule's call in
/// `tiles::scope`).
#[rustfmt::skip]
const LOCATION_PROPS: &[Prop] = &[
    p("project_id", "p.id", Int, "Project id").tiles(),
    p("code", "p.code", Str, "Project code").tiles(),
    p("title_fr", "p.title_fr", Str, "Title (French)").tiles(),
    p("title_ar", "p.title_ar", Str, "Title (Arabic)").tiles(),
    p("title_en", "p.title_en", Str, "Title (English)").tiles(),
    p("theme", "p.theme", Str, "Theme").tiles(),
    p("project_type", "p.project_type", Str, "Project type").tiles(),
    p("status", "p.status", Str, "Lifecycle status").tiles(),
    p("budget_tnd", "p.budget_tnd", Num, "Total budget (TND)").tiles(),
    p("progress", "(SELECT f.physical_pct FROM project_feature f WHERE f.project_id = p.id)", Num, "Physical progress (%), latest report").tiles(),
    p("start_year", "extract(year FROM coalesce(p.actual_start, p.planned_start))::int", Int, "Start year").tiles(),
    p("end_year", "extract(year FROM coalesce(p.actual_end, p.planned_end))::int", Int, "End year").tiles(),
    p("precision", "pl.precision", Str, "Location precision: exact, approximate, municipality, delegation, governorate").tiles(),
    p("place_name", "pl.place_name", Str, "Place name").tiles(),
    p("disclosure", "pl.disclosure", Str, "Disclosure level: exact, displaced (moved 0.5–2 km), unit (its unit's point), withheld").tiles(),
    p("label_fr", label!("fr", "ar"), Str, "Label: French title, else Arabic, English, code").tiles(),
    p("label_ar", label!("ar", "fr"), Str, "Label: Arabic title, else French, English, code").tiles(),
];

/// Tiles only: exact locations as drawn, unit locations as their unit's polygon (`tiles::sql`).
pub static PROJECT_LOCATIONS: Layer = Layer {
    id: "project-locations",
    title: "Development project locations",
    title_fr: "Projets de développement",
    title_ar: "المشاريع التنموية",
    description: "One feature per project location.",
    table: "project_location pl JOIN project p ON p.id = pl.project_id",
    base_where: "pl.precision IN ('exact', 'approximate')",
    fid: "pl.id",
    geom: "mk_location_geom(pl.geom, pl.public_geom, pl.id, p.partner, false, NULL::text, '{}'::text[])",
    geometry_type: "Geometry",
    props: LOCATION_PROPS,
    scoped: true,
    collection: false,
    tiles: Some(TileSpec {
        id: "projects",
        description: "Development projects: exact locations as drawn; locations that stand for a \
             municipality, delegation or governorate as that unit's polygon (precision says \
             which); national locations are not drawn",
        minzoom: 0,
        extra: &[p("locations", "1", Int, "Locations the feature stands for: 1, or more for the point of a cell where they are dense below zoom 14").tiles()],
    }),
    ..Layer::DEFAULT
};

#[rustfmt::skip]
const CONFORMITY_PROPS: &[Prop] = &[
    col!(project_code, Str, "Project code"),
    TITLE_FR,
    TITLE_AR,
    col!(project_type, Str, "Project type"),
    col!(theme, Str, "Theme"),
    col!(status, Str, "Lifecycle status"),
    col!(partner, Str, "Partner owning the record"),
    col!(precision, Str, "Location precision"),
    col!(place_name, Str, "Place name"),
    col!(verdict, Str, "Project verdict: allowed, conditional, forbidden, not_assessed"),
    col!(location_verdict, Str, "Verdict of this location"),
    col!(verdict_reason, Str, "Why"),
    col!(forbidden_share, Num, "Share of the location in zones where it is forbidden"),
    col!(conditional_share, Num, "Share in zones where it is conditional"),
    col!(allowed_share, Num, "Share in zones where it is allowed"),
    col!(outside_share, Num, "Share outside every zone"),
    col!(summary_fr, Str, "Summary (French)"),
    col!(summary_ar, Str, "Summary (Arabic)"),
    p("municipality_codes", "array_to_string(t.municipality_codes, ',')", Str, "Municipalities of the location (codes, comma-separated)"),
    col!(computed_at, DateTime, "Verdict computed at"),
];

/// Project locations with their land-use verdicts (`project_conformity_layer`, migration 0005);
/// `id` is the project's, so the project visibility rule applies as it does to `projects`.
pub static CONFORMITY: Layer = Layer {
    id: "conformity",
    title: "Land-use conformity of project locations",
    title_fr: "Conformité des projets au zonage",
    title_ar: "مطابقة المشاريع لأمثلة التهيئة",
    description: "One feature per project location with its land-use verdict and reasons; \
        the non-conforming projects are `verdict IN ('forbidden','conditional')` \
        (filter=verdict IN ('forbidden','conditional')).",
    table: "(SELECT c.*, c.project_id AS id, l.public_geom FROM project_conformity_layer c \
        JOIN project_location l ON l.id = c.location_id) t",
    fid: "t.location_id",
    geom: "mk_location_geom(t.geom, t.public_geom, t.location_id, t.partner, false, NULL::text, '{}'::text[])",
    geometry_type: "Geometry",
    props: CONFORMITY_PROPS,
    scoped: true,
    ..Layer::DEFAULT
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::visibility::ANONYMOUS_SCOPE;

    #[test]
    fn location_geometries_are_scoped() {
        for l in [&PROJECTS, &PROJECT_LOCATIONS, &CONFORMITY] {
            assert!(l.geom.contains("mk_location_geom("), "{}", l.id);
            assert!(l.geom.contains(ANONYMOUS_SCOPE), "{}", l.id);
        }
    }
}
