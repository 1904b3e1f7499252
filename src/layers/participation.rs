//! Participatory planning (docs/participation.md): proposals, participation zones, plans and
//! meetings. Proposals are read from the view `proposal_public` only — the one visibility rule of
//! proposals (`mk_proposal_public`), which has no author column and never joins
//! `proposal_author` — so no collection, download or tile can carry an author's name or contact.
//! Zones are edited through Part 4 by admins and the commune's planners; moderation stays on
//! `/api/participation`.
use super::common::{MUNICIPALITY_CODE, NAME_AR, NAME_FR, SOURCE};
use super::{col, p, Layer, PType::*, Prop, TileSpec, Writable};

/// A representative point of the proposal (its point, or a point inside its drawn area), 6 places.
const LON: &str = "round(ST_X(ST_PointOnSurface(t.geom))::numeric, 6)";
const LAT: &str = "round(ST_Y(ST_PointOnSurface(t.geom))::numeric, 6)";

#[rustfmt::skip]
const PROPOSAL_PROPS: &[Prop] = &[
    col!(theme, Str, "Theme (roads, lighting, water_sanitation, …)").tiles(),
    col!(lang, Str, "Language of the text: ar or fr"),
    col!(title, Str, "Title").tiles(),
    col!(body, Str, "Text"),
    col!(address, Str, "Address (optional)"),
    col!(state, Str, "State: published, evaluating, accepted, rejected, withdrawn, merged").tiles(),
    col!(answer, Str, "The municipality's published answer"),
    col!(answered_at, DateTime, "Answer published at"),
    col!(merged_into, Int, "Merged into proposal"),
    col!(project_code, Str, "Project that answers it (public projects only)"),
    col!(supports, Int, "Supports").tiles(),
    col!(verified_supports, Int, "Supports verified with a meeting code"),
    col!(comments, Int, "Comments"),
    col!(municipality_code, Str, "Municipality code (automatic tag)").tiles(),
    col!(delegation_code, Str, "Delegation code (automatic tag)"),
    col!(zone_code, Str, "Participation zone code (automatic tag)").tiles(),
    col!(landuse_class, Str, "Land-use class at its place (automatic tag)"),
    col!(conformity_hint, Str, "Conformity hint for its theme (automatic tag)"),
    col!(published_at, DateTime, "Published at"),
    col!(withdrawn_at, DateTime, "Withdrawn at"),
    p("lon", LON, Num, "Longitude of a representative point (WGS 84)"),
    p("lat", LAT, Num, "Latitude of a representative point (WGS 84)"),
];

pub static PROPOSALS: Layer = Layer {
    id: "proposals",
    title: "Citizens' proposals",
    title_fr: "Propositions citoyennes",
    title_ar: "مقترحات المواطنين",
    description: "Public proposals of inhabitants (a point or a drawn area) with their state, answer, supports and automatic tags; never the author's name or contact.",
    table: "proposal_public t",
    geometry_type: "Geometry",
    props: PROPOSAL_PROPS,
    temporal: Some(("t.published_at", "NULL::timestamptz")),
    tiles: Some(TileSpec {
        id: "proposals",
        description: "Citizens' proposals by state and theme, with their supports",
        // one point a proposal from CLUSTER_BELOW; below, clusters (see `tile_rows`)
        minzoom: 5,
        extra: &[col!(proposals, Int, "Proposals the point stands for: 1 from zoom 11, a cluster below").tiles()],
    }),
    ..Layer::DEFAULT
};

/// From this zoom each proposal is its own feature; below, proposals are clustered.
pub const CLUSTER_BELOW: u8 = 11;

/// The rows `t` of the `proposals` tiles at zoom `z` (an SQL `FROM` item after the tile's box
/// `b`), always read from `proposal_public`, one a proposal. From [`CLUSTER_BELOW`] as drawn;
/// below, as a point on it, only in the tile that holds that point, which the tiles cluster by cells
/// of 32 pixels and by commune, zone, state and theme (`tiles::cluster`, so the tile filters still
/// apply). Never an author: the view has none.
pub fn tile_rows(z: u8) -> String {
    if z >= CLUSTER_BELOW {
        return "(SELECT q.*, 1 AS proposals FROM proposal_public q) t".into();
    }
    "LATERAL (SELECT q.id, q.title, q.theme, q.state, q.municipality_code, q.zone_code, q.supports, \
     1 AS proposals, o.pt AS geom_3857 \
     FROM proposal_public q, LATERAL (SELECT ST_PointOnSurface(q.geom_3857) AS pt) o \
     WHERE q.geom_3857 && b.env AND o.pt && b.env) t"
        .into()
}

#[rustfmt::skip]
const ZONE_PROPS: &[Prop] = &[
    MUNICIPALITY_CODE,
    col!(code, Str, "Zone code (unique in the commune)"),
    NAME_AR,
    NAME_FR,
    col!(population, Int, "Population (when known)"),
    SOURCE,
];

pub static ZONES: Layer = Layer {
    id: "participation-zones",
    title: "Participation zones",
    title_fr: "Zones de participation",
    title_ar: "المناطق التشاركية",
    description:
        "Zones a commune defines for its participatory sessions (PIC); editable by its planners.",
    table: "participation_zone t",
    geometry_type: "MultiPolygon",
    props: ZONE_PROPS,
    writable: Writable::Zones,
    ..Layer::DEFAULT
};

#[rustfmt::skip]
const PLAN_PROPS: &[Prop] = &[
    MUNICIPALITY_CODE,
    p("municipality_fr", "m.name_fr", Str, "Municipality (French)"),
    p("municipality_ar", "m.name_ar", Str, "Municipality (Arabic)"),
    col!(kind, Str, "Kind: PDL, PIC or PAI"),
    col!(title, Str, "Title"),
    col!(period_start, Int, "First year"),
    col!(period_end, Int, "Last year"),
    col!(status, Str, "Status: draft, consultation, adopted, implementation, closed"),
    col!(adopted_on, Date, "Adopted on"),
    col!(deliberation_ref, Str, "Council deliberation reference"),
    p("envelope_tnd", "round(t.envelope_tnd, 3)", Num, "Budget envelope (TND)"),
    col!(version, Int, "Version"),
];

pub static PLANS: Layer = Layer {
    id: "plans",
    title: "Plans (PDL, PIC, PAI)",
    title_fr: "Plans (PDL, PIC, PAI)",
    title_ar: "المخططات (PDL، PIC، PAI)",
    description: "Development and investment plans of the communes, on the commune's boundary.",
    table: "plan t JOIN admin_unit_current m ON m.level = 'municipality' AND m.code = t.municipality_code",
    geom: "m.geom",
    geometry_type: "MultiPolygon",
    props: PLAN_PROPS,
    temporal: Some((
        "make_date(t.period_start, 1, 1)::timestamptz",
        "make_date(t.period_end, 12, 31)::timestamptz",
    )),
    ..Layer::DEFAULT
};

#[rustfmt::skip]
const MEETING_PROPS: &[Prop] = &[
    MUNICIPALITY_CODE,
    p("zone_code", "z.code", Str, "Participation zone code"),
    col!(held_at, DateTime, "Held at"),
    col!(place_name, Str, "Place"),
    col!(agenda, Str, "Agenda"),
    col!(minutes, Str, "Minutes"),
    p("attendance", "(SELECT coalesce(sum(a.count), 0) FROM meeting_attendance a WHERE a.meeting_id = t.id)", Int, "Attendance"),
    p("attendance_women", "(SELECT coalesce(sum(a.count), 0) FROM meeting_attendance a WHERE a.meeting_id = t.id AND a.sex = 'female')", Int, "Women attending"),
    p("priorities", "(SELECT count(*) FROM meeting_priority r WHERE r.meeting_id = t.id)", Int, "Ranked priorities"),
];

pub static MEETINGS: Layer = Layer {
    id: "meetings",
    title: "Participatory meetings",
    title_fr: "Réunions participatives",
    title_ar: "الجلسات التشاركية",
    description: "Participatory sessions (PIC zone meetings): place, time, agenda, minutes and attendance counts; no personal data.",
    table: "meeting t LEFT JOIN participation_zone z ON z.id = t.zone_id",
    geometry_type: "Point",
    props: MEETING_PROPS,
    temporal: Some(("t.held_at", "t.held_at")),
    ..Layer::DEFAULT
};
