//! `/api/participation/…` in the OpenAPI document (docs/participation.md): proposals, supports,
//! comments, reports, moderation, commune settings, "you said / we did", open data, plans,
//! meetings and scenarios. Participants are identified by the `X-Participant` header (or the
//! `mk_participant` cookie); authors edit with `X-Edit-Token`; moderators and planners send a key.
use serde_json::{json, Map, Value};

use super::build::{
    array_of, body, get, header, needs_key, object, ok, ok_json, one_of, op, path, path_id, q,
    text, with,
};

const TAG: &str = "Participation";
const READ: &[&str] = &["400", "401", "404"];
const WRITE: &[&str] = &[
    "400", "401", "403", "404", "409", "413", "415", "422", "429",
];
const B: &str = "/api/participation";

fn id() -> Value {
    path_id("id", 1, "Proposal id")
}

fn participant() -> Value {
    header(
        "X-Participant",
        "Participant token (16–128 letters, digits, - or _); omitted: a new one is issued",
    )
}

fn point() -> Value {
    json!({"type": "object", "required": ["type", "coordinates"], "properties": {
        "type": {"type": "string"}, "coordinates": {"type": "array", "items": {"type": "number"}}}})
}

fn post(opid: &str, summary: &str, params: Vec<Value>, code: &str, schema: Value) -> Value {
    body(
        op(
            TAG,
            opid,
            summary,
            params,
            code,
            ok_json("Done", object()),
            WRITE,
        ),
        schema,
    )
}

/// Each row's operations into `paths`, at `B` followed by the row's path: the participation part
/// of the document, one row a path as in the router's table (`participation::router`).
macro_rules! doc_paths {
    ($paths:ident: $($rel:literal => $ops:expr),+ $(,)?) => {
        $($paths.insert(format!("{B}{}", $rel), $ops);)+
    };
}

/// Proposals and what participants do with them.
// size: a literal JSON description of the proposal routes
pub fn proposals(paths: &mut Map<String, Value>) {
    let submit = json!({"type": "object", "required": ["theme", "lang", "title", "body"], "properties": {
        "geometry": point(), "theme": text(), "lang": one_of(&["ar", "fr"]), "title": text(), "body": text(),
        "municipality": text(), "zone": text(), "author_contact": text()}});
    let list_params = vec![
        q("municipality", text(), "Commune code"),
        q("theme", text(), "Theme"),
        q("state", text(), "State"),
        q("zone", text(), "Zone"),
        q(
            "limit",
            json!({"type": "integer", "minimum": 1, "maximum": 1000}),
            "Page size",
        ),
        q(
            "offset",
            json!({"type": "integer", "minimum": 0}),
            "Proposals to skip",
        ),
    ];
    let edit = header("X-Edit-Token", "The edit token returned at submission");
    doc_paths! { paths:
        "/proposals" => json!({
            "get": get(TAG, "proposals_list", "Published proposals", list_params, ok_json("Proposals", object()), &["400", "401"]),
            "post": post("proposal_submit", "Submit a proposal (anonymous; returns the edit token once)", vec![participant()], "201", submit),
        }),
        "/proposals/{id}" => json!({
            "get": get(TAG, "proposal", "One proposal", vec![id()], ok_json("The proposal", object()), READ),
            "patch": post("proposal_edit", "The author edits the proposal", vec![id(), edit.clone()], "200",
                json!({"type": "object", "properties": {"title": text(), "body": text(), "theme": text(), "geometry": point()}})),
        }),
        "/proposals/{id}/withdraw" => json!({"post": op(TAG, "proposal_withdraw", "The author withdraws the proposal",
            vec![id(), edit], "200", ok_json("Withdrawn", object()), WRITE)}),
        "/proposals/{id}/supports" => json!({"post": post("proposal_support", "Support a proposal (once per participant)",
            vec![id(), participant()], "201", json!({"type": "object", "properties": {"code": {"type": "string", "description": "A meeting code"}}}))}),
        "/proposals/{id}/comments" => json!({
            "get": get(TAG, "proposal_comments", "Published comments", vec![id()], ok_json("Comments", object()), READ),
            "post": post("proposal_comment", "Comment (or answer a comment with parent_id)", vec![id(), participant()], "201",
                json!({"type": "object", "required": ["body"], "properties": {"body": text(), "parent_id": {"type": "integer"}}})),
        }),
        "/proposals/{id}/reports" => json!({"post": post("proposal_report", "Report abuse",
            vec![id(), participant()], "201",
            json!({"type": "object", "required": ["reason"], "properties": {"reason": one_of(&["spam", "offensive", "off_topic"])}}))}),
        "/proposals/{id}/similar" => json!({"get": get(TAG, "proposal_similar", "Possible duplicates nearby",
            vec![id()], ok_json("Similar proposals", object()), READ)}),
    }
}

/// Moderation, settings, answers and open data.
pub fn moderation(paths: &mut Map<String, Value>) {
    let key = |v: Value| needs_key(v);
    moderators(paths);
    let commune = path("code", "1111", "Commune (municipality) code");
    doc_paths! { paths:
        "/proposals/{id}/answer" => json!({"post": key(post("proposal_answer",
            "Answer a proposal (state, answer; publish now or keep a draft; {} publishes the draft)", vec![id()], "200",
            json!({"type": "object", "properties": {"state": text(), "answer": text(), "publish": {"type": "boolean"}}})))}),
        "/proposals/{id}/moderation" => json!({"post": key(post("proposal_moderate", "Hide or restore a proposal",
            vec![id()], "200", json!({"type": "object", "required": ["action", "reason"], "properties": {"action": one_of(&["hide", "unhide", "clear", "approve"]), "reason": text()}})))}),
        "/proposals/{id}/project" => json!({"post": key(post("proposal_link_project",
            "Link an accepted proposal to a project (an existing one, or a new one created identified)", vec![id()], "200",
            json!({"type": "object", "properties": {"project": text(), "new_project": object()}})))}),
        "/moderation/log" => json!({"get": key(get(TAG, "moderation_log", "Every moderation act",
            vec![q("municipality", text(), "Commune code")], ok_json("The log", object()), &["400", "401", "403"]))}),
        "/communes/{code}/settings" => json!({
            "get": get(TAG, "commune_settings", "The commune's participation settings", vec![commune.clone()], ok_json("Settings", object()), READ),
            "put": key(post("commune_settings_set", "Set the commune's participation settings", vec![commune.clone()], "200",
                json!({"type": "object", "properties": {"mode": text(), "report_threshold": {"type": "integer", "minimum": 1}}}))),
        }),
        "/communes/{code}/you-said-we-did" => json!({"get": get(TAG, "you_said_we_did",
            "\"You said / we did\": answered proposals and what became of them", vec![commune], ok_json("The page", object()), READ)}),
        "/projects/{code}/proposals" => json!({"get": get(TAG, "project_proposals",
            "The proposals a project answers", vec![path("code", "P048825", "Project code")], ok_json("Proposals", object()), READ)}),
        "/export/proposals.csv" => json!({"get": get(TAG, "proposals_csv", "Open data: published proposals as CSV",
            vec![q("municipality", text(), "Commune code")], ok("CSV", &["text/csv"], text()), &["400", "401"])}),
        "/export/proposals.geojson" => json!({"get": get(TAG, "proposals_geojson", "Open data: published proposals as GeoJSON",
            vec![q("municipality", text(), "Commune code")], ok("GeoJSON", &["application/geo+json"], with(&["type", "features"])), &["400", "401"])}),
    }
}

/// Plans, meetings and scenarios.
// size: a literal JSON description of the plan, meeting and scenario routes
pub fn plans(paths: &mut Map<String, Value>) {
    let plan = path_id("id", 1, "Plan id");
    let year = json!({"type": "integer", "minimum": 1900, "maximum": 2200});
    doc_paths! { paths:
        "/plans" => json!({
            "get": get(TAG, "plans_list", "Plans (PAI, PDU…)", vec![q("municipality", text(), "Commune code")], ok_json("Plans", object()), &["400", "401"]),
            "post": needs_key(post("plan_create", "Create a plan with its stages", vec![], "201", json!({"type": "object",
                "required": ["municipality", "title", "period_start", "period_end"], "properties": {"municipality": text(), "kind": text(), "title": text(),
                "period_start": year, "period_end": year, "envelope_tnd": {"type": "number", "minimum": 0}}}))),
        }),
        "/plans/{id}" => json!({
            "get": get(TAG, "plan", "One plan", vec![plan.clone()], ok_json("The plan", object()), READ),
            "patch": needs_key(post("plan_update", "Change a plan (status, adoption, title, envelope)", vec![plan.clone()], "200",
                json!({"type": "object", "properties": {"status": text(), "adopted_on": {"type": "string", "format": "date"},
                "deliberation_ref": text(), "title": text(), "envelope_tnd": {"type": "number", "minimum": 0}}}))),
        }),
        "/plans/{id}/stages/{stage}" => json!({"put": needs_key(post("plan_stage", "Set a stage's dates and outputs",
            vec![plan.clone(), path("stage", "diagnosis", "Stage (diagnosis, consultation, …)")], "200",
            json!({"type": "object", "properties": {"starts_on": {"type": "string", "format": "date"}, "ends_on": {"type": "string", "format": "date"},
            "outputs": array_of(object())}})))}),
        "/plans/{id}/lines" => json!({"post": needs_key(post("plan_line", "Add a project line to a plan",
            vec![plan.clone()], "201", json!({"type": "object", "required": ["project", "amount_tnd"], "properties": {"project": text(),
            "year": year, "amount_tnd": {"type": "number", "minimum": 0}, "zone": text()}})))}),
        "/plans/{id}/summary" => json!({"get": get(TAG, "plan_summary", "A plan's lines and totals",
            vec![plan.clone()], ok_json("Summary", object()), READ)}),
        "/plans/{id}/revisions" => json!({"post": needs_key(op(TAG, "plan_revise", "Revise an adopted plan into a new draft version (stages and lines copied)",
            vec![plan], "201", ok_json("The new version", object()), WRITE))}),
        "/meetings" => json!({
            "get": get(TAG, "meetings_list", "Public meetings", vec![q("municipality", text(), "Commune code")], ok_json("Meetings", object()), &["400", "401"]),
            "post": needs_key(post("meeting_create", "Record a meeting (attendance, priorities, delegates, support codes)", vec![], "201",
                json!({"type": "object", "required": ["municipality", "held_at"], "properties": {"municipality": text(), "zone": text(),
                "held_at": {"type": "string", "format": "date-time"}, "place_name": text(), "geometry": point(),
                "attendance": array_of(object()), "priorities": array_of(object()), "delegates": array_of(object()),
                "codes": {"type": "integer", "minimum": 0}}}))),
        }),
        "/meetings/{id}" => json!({"get": get(TAG, "meeting", "One meeting",
            vec![path_id("id", 1, "Meeting id")], ok_json("The meeting", object()), READ)}),
        "/scenarios" => json!({"post": post("scenario", "Rank candidate facilities within an envelope (PAI scenario)",
            vec![], "200", json!({"type": "object", "required": ["municipality", "envelope_tnd", "candidates"], "properties": {
            "municipality": text(), "envelope_tnd": {"type": "number", "minimum": 0}, "distance_m": object(),
            "candidates": array_of(json!({"type": "object", "properties": {"ref": text(), "facility_type": text(),
            "capacity": {"type": "number"}, "cost_tnd": {"type": "number", "minimum": 0}, "geometry": point()}}))}}))}),
    }
}

/// Comments reported and moderated, the moderators' queue and their way to reach an author.
fn moderators(paths: &mut Map<String, Value>) {
    let cid = path_id("id", 1, "Comment id");
    let reason =
        json!({"type": "object", "required": ["reason"], "properties": {"reason": text()}});
    let act = json!({"type": "object", "required": ["action", "reason"], "properties": {
        "action": one_of(&["hide", "unhide", "clear", "approve"]), "reason": text()}});
    doc_paths! { paths:
        "/comments/{id}/reports" => json!({"post": post("comment_report", "Report a comment (once per participant; hidden at the commune's threshold)",
            vec![cid.clone(), participant()], "201",
            json!({"type": "object", "required": ["reason"], "properties": {"reason": one_of(&["spam", "offensive", "off_topic"])}}))}),
        "/comments/{id}/moderation" => json!({"post": needs_key(post("comment_moderate", "Hide, unhide, clear or approve a comment", vec![cid], "200", act))}),
        "/proposals/{id}/contact" => json!({"post": needs_key(post("proposal_contact",
            "The author's private name and contact, for a moderator of the commune (logged with the reason)", vec![id()], "200", reason))}),
        "/moderation/queue" => json!({"get": needs_key(get(TAG, "moderation_queue", "Proposals and comments waiting, hidden or reported in a commune (paged)",
            vec![q("municipality", text(), "Commune code"), q("status", one_of(&["pending", "reported", "hidden"]), "Only these"),
             q("limit", json!({"type": "integer", "minimum": 1, "maximum": 200}), "Page size"),
             q("offset", json!({"type": "integer", "minimum": 0}), "Skip")],
            ok_json("The queue", object()), &["400", "401", "403"]))}),
    }
}
