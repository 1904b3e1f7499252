//! The planning API in the OpenAPI document: projects (context, assignments, history, status,
//! progress, funding), units and locate, indicators, diagnosis sheets and conformity
//! (docs/planning.md, docs/indicators.md).
use serde_json::{json, Map, Value};

use crate::projects::rules::STATUSES;

use super::build::{
    array_of, body, get, needs_key, object, ok, ok_json, one_of, op, path, path_id, q, q_req, text,
};

const LEVELS: [&str; 3] = ["governorate", "delegation", "municipality"];
const READ_ERRORS: &[&str] = &["400", "401", "404"];
const WRITE_ERRORS: &[&str] = &[
    "400", "401", "403", "404", "409", "413", "415", "422", "429",
];

fn code() -> Value {
    path("code", "P048825", "Project code")
}

fn as_of() -> Value {
    q(
        "as_of",
        json!({"type": "string", "format": "date"}),
        "The state at this date (YYYY-MM-DD); default today (docs/dates.md)",
    )
}

fn f(values: &[&str]) -> Value {
    q("f", one_of(values), "Output format")
}

/// `/api/projects/{code}/…`.
// size: a literal JSON description of seven routes
pub fn projects(paths: &mut Map<String, Value>) {
    let tag = "Planning";
    paths.insert("/api/projects/{code}/context".into(), json!({"get": get(tag, "project_context",
        "Units and shares per level, each location's zones and verdict, nearest facilities, funding and monitoring",
        vec![code(), as_of()], ok_json("The project in its context", object()), READ_ERRORS)}));
    paths.insert(
        "/api/projects/{code}/assignments".into(),
        json!({"get": get(tag, "project_assignments",
        "The units the project is assigned to, with their shares", vec![code(), as_of()],
        ok_json("Assignments", object()), READ_ERRORS)}),
    );
    paths.insert(
        "/api/projects/{code}/history".into(),
        json!({"get": get(tag, "project_history",
        "Every event of the project, its monitoring and the status transition table", vec![code()],
        ok_json("History", object()), READ_ERRORS)}),
    );
    let status_body = json!({"type": "object", "required": ["status"], "properties": {
        "status": one_of(STATUSES), "note": text(), "date": {"type": "string", "format": "date"}}});
    paths.insert("/api/projects/{code}/status".into(), json!({"post": needs_key(body(op(tag, "project_status",
        "Change the status (the lifecycle refuses some transitions: 409 with the allowed ones)", vec![code()],
        "200", ok_json("The new state", object()), WRITE_ERRORS), status_body))}));
    let amount = json!({"oneOf": [{"type": "number", "minimum": 0}, {"type": "string"}]});
    let progress_body = json!({"type": "object", "properties": {
        "physical_pct": {"type": "number", "minimum": 0, "maximum": 100}, "committed_tnd": amount, "paid_tnd": amount,
        "date": {"type": "string", "format": "date"}, "note": text(), "blocked": {"type": "boolean"}, "blocked_cause": text()}});
    paths.insert("/api/projects/{code}/progress".into(), json!({"post": needs_key(body(op(tag, "project_progress",
        "Report physical and financial progress (amounts in TND, exact to the millime)", vec![code()],
        "201", ok_json("The report", object()), WRITE_ERRORS), progress_body))}));
    let disclosure_body = json!({"type": "object", "required": ["disclosure"], "properties": {
        "disclosure": one_of(crate::projects::disclosure::LEVELS),
        "locations": {"type": "array", "items": text(), "description": "Source ids (default: all)"}}});
    paths.insert("/api/projects/{code}/disclosure".into(), json!({"put": needs_key(body(op(tag, "project_disclosure",
        "Set the disclosure level of the project's locations (docs/disclosure.md)", vec![code()],
        "200", ok_json("The locations and their levels", object()), WRITE_ERRORS), disclosure_body))}));
    let funding_body = json!({"type": "object", "properties": {
        "kind": text(), "amount": amount, "currency": text(), "amount_tnd": amount, "funder": text(), "note": text()}});
    paths.insert("/api/projects/{code}/funding".into(), json!({
        "get": get(tag, "funding_list", "The project's funding lines", vec![code()], ok_json("Funding lines", object()), READ_ERRORS),
        "post": needs_key(body(op(tag, "funding_create", "Add a funding line", vec![code()], "201",
            ok_json("The line", object()), WRITE_ERRORS), funding_body.clone())),
    }));
    let id = path_id("id", 1, "Funding line id");
    paths.insert("/api/projects/{code}/funding/{id}".into(), json!({
        "put": needs_key(body(op(tag, "funding_replace", "Replace a funding line", vec![code(), id.clone()], "200",
            ok_json("The line", object()), WRITE_ERRORS), funding_body)),
        "delete": needs_key(op(tag, "funding_delete", "Delete a funding line", vec![code(), id], "204",
            json!({"description": "Deleted"}), &["400", "401", "403", "404", "409", "429"])),
    }));
}

/// `/api/locate`, `/api/units…`.
pub fn units(paths: &mut Map<String, Value>) {
    let tag = "Territory";
    let at = q(
        "at",
        json!({"type": "string", "format": "date"}),
        "The units valid at this date",
    );
    paths.insert("/api/locate".into(), json!({"get": get(tag, "locate", "The units of every level containing a point",
        vec![q_req("lon", json!({"type": "number", "minimum": -180, "maximum": 180}), "Longitude (WGS 84)"),
             q_req("lat", json!({"type": "number", "minimum": -90, "maximum": 90}), "Latitude (WGS 84)"), at.clone()],
        ok_json("The units", object()), &["400"])}));
    paths.insert("/api/units".into(), json!({"get": get(tag, "units_search", "Search units by name (Arabic, French or English)",
        vec![q("q", text(), "Name or part of it"), q("level", one_of(&LEVELS), "Only this level"),
             q("limit", json!({"type": "integer", "minimum": 1, "maximum": 100}), "At most this many"), at.clone()],
        ok_json("Matching units", object()), &["400"])}));
    let level = path(
        "level",
        "municipality",
        "governorate, delegation or municipality",
    );
    let ucode = path("code", "1111", "Unit code");
    paths.insert("/api/units/{level}/{code}".into(), json!({"get": get(tag, "unit", "One unit: names, parent, area, population, versions, geometry",
        vec![level.clone(), ucode.clone(), at], ok_json("The unit", object()), &["400", "404"])}));
    paths.insert(
        "/api/units/{level}/{code}/diagnosis".into(),
        json!({"get": get("Indicators", "diagnosis",
        "The diagnosis sheet of a unit (JSON, or a printable A4 page with f=html, in French or Arabic with lang)",
        vec![level, ucode, as_of(), f(&["json", "html"]), q("lang", one_of(&["fr", "ar"]), "Language of the printable sheet (f=html)")],
        ok("The sheet", &["application/json", "text/html"], object()), &["400", "404"])}),
    );
}

/// `/api/indicators…`, `/api/data-quality`, `/api/conformity/…`.
pub fn indicators(paths: &mut Map<String, Value>) {
    let tag = "Indicators";
    let level = q_req("level", one_of(&LEVELS), "Level of the units");
    let gov = q(
        "governorate",
        text(),
        "Only the units of this governorate (code)",
    );
    let csv = ["application/json", "text/csv"];
    paths.insert("/api/indicators".into(), json!({"get": get(tag, "indicators",
        "Indicators of every unit of a level, the unallocated and national lines, the reconciliation and the definitions",
        vec![level.clone(), gov.clone(), as_of(), f(&["json", "csv"])], ok("Indicators", &csv, object()), &["400"])}));
    paths.insert("/api/indicators/breakdown".into(), json!({"get": get(tag, "indicators_breakdown",
        "Indicators of every unit broken down by theme, status or funding source",
        vec![level, q_req("by", one_of(&["theme", "status", "funding"]), "Breakdown"), gov, as_of(), f(&["json", "csv"])],
        ok("The breakdown", &csv, object()), &["400"])}));
    paths.insert("/api/data-quality".into(), json!({"get": get(tag, "data_quality",
        "What is missing or doubtful in the data, per layer",
        vec![q("municipality", text(), "Only this municipality (code)"), f(&["json", "csv", "html"])],
        ok("Data quality", &["application/json", "text/csv", "text/html"], object()), &["400", "404"])}));
    let tag = "Conformity";
    let rule = json!({"type": "object", "required": ["project_type", "class", "outcome"], "additionalProperties": false, "properties": {
        "project_type": text(), "class": text(), "outcome": one_of(&["allowed", "conditional", "forbidden"]),
        "note_fr": {"type": "string", "nullable": true}, "note_ar": {"type": "string", "nullable": true}}});
    let rules_body = json!({"type": "object", "required": ["rules"], "additionalProperties": false,
        "properties": {"rules": array_of(rule)}});
    paths.insert("/api/conformity/rules".into(), json!({
        "get": get(tag, "conformity_rules", "The conformity matrix (project type × land-use class)",
            vec![f(&["json", "csv"])], ok("The rules", &csv, object()), &["400"]),
        "put": needs_key(body(op(tag, "conformity_rules_replace", "Replace the whole matrix (admin key; JSON or CSV)",
            vec![], "200", ok_json("What changed", object()),
            &["400", "401", "403", "413", "415", "422", "429"]), rules_body)),
    }));
    paths.insert(
        "/api/conformity/projects".into(),
        json!({"get": get(tag, "conformity_projects",
        "The verdict of every public project location against the land-use zones",
        vec![q("verdict", text(), "Comma-separated verdicts, e.g. forbidden,conditional"),
             q("municipality", text(), "Only this municipality (code)"), f(&["json", "csv"])],
        ok("Verdicts", &csv, object()), &["400"])}),
    );
}

/// `/api/iati/…`: IATI 2.03 activity XML out (what the caller may see) and in (admin key).
pub fn iati(paths: &mut Map<String, Value>) {
    let xml = ["application/xml"];
    let filters = vec![
        q("project", text(), "Only this project (its code)"),
        q(
            "funder",
            text(),
            "Only this partner's portfolio (partner or funder slug)",
        ),
        q(
            "municipality",
            text(),
            "Only the projects assigned to this municipality (official code)",
        ),
    ];
    paths.insert("/api/iati/activities.xml".into(), json!({
        "get": get("IATI", "iati_activities", "IATI 2.03 activities (validates against the IATI XSD)",
            filters, ok("iati-activities", &xml, text()), &["400", "401", "404"]),
    }));
    let mut upload = needs_key(op(
        "IATI",
        "iati_import",
        "Import a partner's IATI activities (admin key; idempotent, transactional)",
        vec![
            q("partner", text(), "The partner the activities belong to"),
            q(
                "dry_run",
                json!({"type": "boolean"}),
                "Check and report, change nothing",
            ),
        ],
        "200",
        ok_json(
            "What was created, updated, unchanged, skipped (with reasons)",
            object(),
        ),
        &["400", "401", "403", "413", "422", "429"],
    ));
    upload["requestBody"] =
        json!({"required": true, "content": {"application/xml": {"schema": {"type": "string"}}}});
    paths.insert("/api/iati/import".into(), json!({"post": upload}));
}

/// `/api/packs/{code}.zip`: the open-data pack of a commune or of the country (public rows only).
pub fn packs(paths: &mut Map<String, Value>) {
    let code = path(
        "code",
        "1111",
        "A commune's 4-digit official code, or TN for the country",
    );
    paths.insert("/api/packs/{code}.zip".into(), json!({
        "get": get("Open data", "pack", "Zip: a GeoPackage of every public layer, CSVs (UTF-8 with BOM), the IATI file, metadata.json, a README in Arabic and French",
            vec![code], ok("The pack", &["application/zip"], json!({"type": "string", "format": "binary"})), &["400", "404"]),
    }));
}
