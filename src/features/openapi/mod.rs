//! `/api`: the OpenAPI 3.0 document of the features API, written out per collection (so that
//! every collection's queryables are real, typed query parameters), and `/api.html` for people.
//! `limit` is declared once under `components.parameters` with `maximum` and `default`: QGIS reads
//! the page size from there and nowhere else.
//!
//! Written with `serde_json` rather than `utoipa`: the paths are generated from the catalog at run
//! time (one set per collection, with its own property parameters), which utoipa's derive model
//! does not express. The page for people is rendered in [`html`].
mod build;
mod html;
mod participation;
mod planning;
mod service;

use axum::{
    extract::Query,
    http::{header, HeaderMap},
    response::{Html, IntoResponse, Response},
};
use build::{error_responses, key_optional, r, security_schemes};
use html::render;
use serde_json::{json, Map, Value};

use super::read::collections::json_or_html;
use super::render::format::{self, Format};
use crate::features::read::collections::extras;
use crate::features::read::params::{self, Pairs, DEFAULT_LIMIT, MAX_LIMIT};
use crate::features::Ctx;
use crate::features::{read::crs, FResult};
use crate::layers::{collections, Layer, Writable};

fn ok_json(schema: &str, desc: &str, media: &str) -> Value {
    json!({"description": desc, "content": {
        media: {"schema": {"$ref": format!("#/components/schemas/{schema}")}},
        "text/html": {"schema": {"type": "string"}},
    }})
}

fn get_op(id: &str, summary: &str, params: Vec<Value>, ok: Value, errors: &[&str]) -> Value {
    let mut responses = error_responses(errors);
    responses.insert("200".into(), ok);
    json!({"operationId": id, "summary": summary, "tags": ["Features"], "parameters": params, "responses": responses})
}

// size: a literal JSON document (the paths of one collection), not logic
fn collection_paths(c: &Layer, paths: &mut Map<String, Value>) {
    let id = c.id;
    paths.insert(
        format!("/collections/{id}"),
        json!({"get": get_op(
        &format!("describe_{id}"), &format!("Describe {}", c.title), vec![r("f")],
        ok_json("Collection", "The collection", format::JSON), &["400", "404"])}),
    );
    paths.insert(format!("/collections/{id}/queryables"), json!({"get": get_op(
        &format!("queryables_{id}"), &format!("Queryables of {}", c.title), vec![r("f")],
        json!({"description": "JSON Schema of the queryable properties", "content": {
            format::SCHEMA_JSON: {"schema": {"type": "object"}}, "text/html": {"schema": {"type": "string"}}}}),
        &["400", "404"])}));
    let mut item_params = vec![
        r("limit"),
        r("offset"),
        r("bbox"),
        r("bbox-crs"),
        r("datetime"),
        r("crs"),
        r("filter"),
        r("filter-lang"),
        r("filter-crs"),
        r("f-items"),
    ];
    let names: Vec<&str> = c.props.iter().map(|p| p.name).collect();
    let mut sort_keys: Vec<String> = vec!["id".into(), "-id".into()];
    for n in &names {
        sort_keys.push((*n).to_string());
        sort_keys.push(format!("-{n}"));
    }
    item_params.push(json!({"name": "sortby", "in": "query", "required": false, "style": "form", "explode": false,
        "description": "Properties to sort by, comma separated, - for descending (e.g. -population,name_fr)",
        "schema": {"type": "array", "items": {"type": "string", "enum": sort_keys}}}));
    item_params.push(json!({"name": "properties", "in": "query", "required": false, "style": "form", "explode": false,
        "description": "Properties to include (comma separated)",
        "schema": {"type": "array", "uniqueItems": true, "items": {"type": "string", "enum": names}}}));
    for p in c.props {
        item_params.push(json!({"name": p.name, "in": "query", "required": false, "description": format!("{} equals this value", p.title), "schema": p.ty.json_schema()}));
    }
    let items_ok = json!({"description": "A page of features", "headers": {"Content-Crs": {"schema": {"type": "string"}, "description": "CRS of the coordinates"}},
    "content": {
        format::GEOJSON: {"schema": {"$ref": "#/components/schemas/FeatureCollection"}},
        "text/html": {"schema": {"type": "string"}},
        "text/csv": {"schema": {"type": "string"}},
        format::GPKG: {"schema": {"type": "string", "format": "binary"}},
        format::FGB: {"schema": {"type": "string", "format": "binary"}},
    }});
    let mut items = json!({"get": get_op(&format!("items_{id}"), &format!("Features of {}", c.title), item_params, items_ok, &["400", "404"])});
    let fid_schema = c.fid_type.json_schema();
    let example = match id {
        "municipalities" => "1111",
        "delegations" => "1151",
        "governorates" => "11",
        _ => "1",
    };
    let fid = json!({"name": "featureId", "in": "path", "required": true, "schema": {"type": "string"}, "example": example,
        "description": format!("Feature id ({})", fid_schema["type"])});
    let item_ok = json!({"description": "One feature", "headers": {"ETag": {"schema": {"type": "string"}}, "Content-Crs": {"schema": {"type": "string"}}},
        "content": {format::GEOJSON: {"schema": {"$ref": "#/components/schemas/Feature"}}, "text/html": {"schema": {"type": "string"}}}});
    let mut item = json!({"get": get_op(&format!("item_{id}"), &format!("One feature of {}", c.title), vec![fid.clone(), r("crs"), r("f")], item_ok, &["400", "404"])});
    let options = |opid: String, params: Vec<Value>| {
        json!({"operationId": opid, "summary": "Methods this caller may use (Allow header)", "tags": ["Features"], "parameters": params,
        "responses": {"200": {"description": "Allowed methods", "headers": {"Allow": {"schema": {"type": "string"}}}}, "400": error_responses(&["400"])["400"], "404": error_responses(&["404"])["404"]}})
    };
    items["options"] = options(format!("options_items_{id}"), vec![]);
    item["options"] = options(format!("options_item_{id}"), vec![fid.clone()]);
    if c.writable != Writable::No {
        let body = |media: &[&str]| {
            let mut content = Map::new();
            for m in media {
                content.insert(
                    (*m).into(),
                    json!({"schema": {"$ref": "#/components/schemas/FeatureInput"}}),
                );
            }
            json!({"required": true, "content": content})
        };
        let crs_header = json!({"name": "Content-Crs", "in": "header", "required": false, "schema": {"type": "string"}, "description": "CRS of the coordinates sent (default CRS84), e.g. <http://www.opengis.net/def/crs/EPSG/0/22391>"});
        let if_match = json!({"name": "If-Match", "in": "header", "required": false, "schema": {"type": "string"}, "description": "ETag read with GET; 412 when the feature changed since"});
        let mut created = error_responses(&[
            "400", "401", "403", "404", "405", "409", "413", "415", "422", "429",
        ]);
        created.insert("201".into(), json!({"description": "Created; Location gives the new feature", "headers": {"Location": {"schema": {"type": "string"}}, "ETag": {"schema": {"type": "string"}}},
            "content": {"application/json": {"schema": {"type": "object"}}}}));
        items["post"] = json!({"operationId": format!("create_{id}"), "summary": format!("Add a feature to {}", c.title), "tags": ["Transactions"],
            "parameters": [crs_header], "requestBody": body(&[format::GEOJSON, format::JSON]), "responses": created, "security": build::key_required()});
        let mut changed = error_responses(&[
            "400", "401", "403", "404", "405", "409", "412", "413", "415", "422", "429",
        ]);
        changed.insert(
            "204".into(),
            json!({"description": "Done", "headers": {"ETag": {"schema": {"type": "string"}}}}),
        );
        item["put"] = json!({"operationId": format!("replace_{id}"), "summary": "Replace a feature", "tags": ["Transactions"],
            "parameters": [fid.clone(), crs_header, if_match], "requestBody": body(&[format::GEOJSON, format::JSON]), "responses": changed, "security": build::key_required()});
        item["patch"] = json!({"operationId": format!("update_{id}"), "summary": "Change some properties or the geometry (JSON merge patch)", "tags": ["Transactions"],
            "parameters": [fid.clone(), crs_header, if_match], "requestBody": body(&["application/merge-patch+json"]), "responses": changed, "security": build::key_required()});
        let mut deleted = error_responses(&["400", "401", "403", "404", "405", "412", "429"]);
        deleted.insert("204".into(), json!({"description": "Deleted"}));
        item["delete"] = json!({"operationId": format!("delete_{id}"), "summary": "Delete a feature", "tags": ["Transactions"],
            "parameters": [fid, if_match], "responses": deleted, "security": build::key_required()});
    }
    paths.insert(format!("/collections/{id}/items"), items);
    paths.insert(format!("/collections/{id}/items/{{featureId}}"), item);
}

fn crs_param(name: &str, desc: &str) -> Value {
    json!({"name": name, "in": "query", "required": false, "description": desc,
        "schema": {"type": "string", "enum": crs::uris(), "default": crs::CRS84_URI}})
}

/// The tags, in the order the explorer shows them.
const TAGS: [(&str, &str); 15] = [
    (
        "IATI",
        "IATI 2.03 activity XML: export (public, a commune, a partner, a project) and import (docs/iati.md)",
    ),
    (
        "Features",
        "OGC API – Features: collections and their items",
    ),
    (
        "Transactions",
        "OGC API – Features Part 4: create, replace, update, delete",
    ),
    ("Tiles", "Vector tiles: TileJSON, XYZ and OGC API – Tiles"),
    ("Styles", "MapLibre styles, sprites and glyphs"),
    (
        "Planning",
        "Projects: context, assignments, history, status, progress, funding",
    ),
    (
        "Territory",
        "Administrative units: locate a point, search, one unit",
    ),
    (
        "Indicators",
        "Indicators per unit, breakdowns, data quality, diagnosis sheets",
    ),
    ("Conformity", "Land-use conformity rules and verdicts"),
    (
        "Participation",
        "Proposals, moderation, plans, meetings, scenarios",
    ),
    (
        "Open data",
        "Open-data packs per commune and for the country (docs/offline.md)",
    ),
    ("Keys", "API keys (admin) and the caller"),
    ("Map", "The map viewer"),
    ("Pages", "Pages for people: a project, a unit (bilingual, printable)"),
    ("Service", "Landing page, this document, health, metrics"),
];

/// The whole OpenAPI document: the features part derived from the layer registry, the other
/// areas from their files ([`service`], [`planning`], [`participation`]).
pub fn document(base: &str, extra: &[String]) -> Value {
    let mut paths = Map::new();
    paths.insert("/conformance".into(), json!({"get": get_op("conformance", "Conformance classes", vec![r("f")], ok_json("Conformance", "Conformance classes", format::JSON), &["400"])}));
    paths.insert("/collections".into(), json!({"get": get_op("collections", "Collections", vec![r("f")], ok_json("Collections", "The collections", format::JSON), &["400"])}));
    for c in collections() {
        collection_paths(c, &mut paths);
    }
    service::service(&mut paths);
    service::tiles(&mut paths);
    planning::projects(&mut paths);
    planning::units(&mut paths);
    planning::indicators(&mut paths);
    participation::proposals(&mut paths);
    participation::moderation(&mut paths);
    participation::plans(&mut paths);
    planning::iati(&mut paths);
    planning::packs(&mut paths);
    let mut extra_params: Vec<Value> = Vec::new();
    for e in extra {
        extra_params.push(json!({"name": e, "in": "query", "required": false, "schema": {"type": "string"}, "description": "Accepted and ignored by the query checks (e.g. an API key repeated by QGIS or GDAL)"}));
    }
    let _ = extra_params;
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Mokhattat — مخطط — API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Municipalities, delegations, governorates, land use, development projects and facilities of Tunisia. \
                OGC API – Features Parts 1–4 with CQL2 filtering and CRS support (conformance: /conformance), vector tiles and styles, \
                the planning API (projects, units, indicators, diagnosis, conformity), participation, and the service endpoints. \
                A key (Authorization: Bearer, X-API-Key or ?api_key=) is needed for writes and widens what reads show.",
            "license": {"name": "AGPL-3.0-or-later"},
        },
        "servers": [{"url": base}],
        "tags": TAGS.iter().map(|(name, description)| json!({"name": name, "description": description})).collect::<Vec<_>>(),
        "security": key_optional(),
        "paths": paths,
        "components": {
            "securitySchemes": security_schemes(),
            "parameters": {
                "limit": {"name": "limit", "in": "query", "required": false, "style": "form", "explode": false,
                    "description": format!("Features per page; above {MAX_LIMIT} it is clamped to {MAX_LIMIT}"),
                    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}},
                "offset": {"name": "offset", "in": "query", "required": false, "description": "Features to skip (the next link sets it)",
                    "schema": {"type": "integer", "minimum": 0, "default": 0}},
                "bbox": {"name": "bbox", "in": "query", "required": false, "style": "form", "explode": false,
                    "description": "minx,miny,maxx,maxy in bbox-crs (CRS84 by default); EPSG:4326 is latitude first",
                    "schema": {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}}},
                "bbox-crs": crs_param("bbox-crs", "CRS of bbox"),
                "crs": crs_param("crs", "CRS of the returned coordinates"),
                "filter-crs": crs_param("filter-crs", "CRS of the geometry literals in filter"),
                "datetime": {"name": "datetime", "in": "query", "required": false, "style": "form", "explode": false,
                    "description": "An instant (2019-01-01 or 2019-01-01T00:00:00Z) or an interval a/b with .. for an open end",
                    "schema": {"type": "string"}},
                "filter": {"name": "filter", "in": "query", "required": false, "description": "CQL2 filter, e.g. population > 100000",
                    "schema": {"type": "string"}},
                "filter-lang": {"name": "filter-lang", "in": "query", "required": false,
                    "schema": {"type": "string", "enum": ["cql2-text", "cql2-json"], "default": "cql2-text"}},
                "f": {"name": "f", "in": "query", "required": false, "schema": {"type": "string", "enum": ["json", "html"]}},
                "f-items": {"name": "f", "in": "query", "required": false, "schema": {"type": "string", "enum": ["json", "html", "csv", "gpkg", "fgb"]}},
            },
            "schemas": schemas(),
        },
    })
}

fn schemas() -> Value {
    json!({
        "Exception": {"type": "object", "required": ["code"], "properties": {"code": {"type": "string"}, "description": {"type": "string"}}},
        "Link": {"type": "object", "required": ["href", "rel", "type"], "properties": {
            "href": {"type": "string"}, "rel": {"type": "string"}, "type": {"type": "string"}, "title": {"type": "string"}}},
        "LandingPage": {"type": "object", "required": ["links"], "properties": {
            "title": {"type": "string"}, "description": {"type": "string"},
            "links": {"type": "array", "items": {"$ref": "#/components/schemas/Link"}}}},
        "Conformance": {"type": "object", "required": ["conformsTo"], "properties": {
            "conformsTo": {"type": "array", "items": {"type": "string"}}}},
        "Collection": {"type": "object", "required": ["id", "links"], "properties": {
            "id": {"type": "string"}, "title": {"type": "string"}, "description": {"type": "string"}, "itemType": {"type": "string"},
            "extent": {"type": "object"}, "crs": {"type": "array", "items": {"type": "string"}}, "storageCrs": {"type": "string"},
            "links": {"type": "array", "items": {"$ref": "#/components/schemas/Link"}}}},
        "Collections": {"type": "object", "required": ["collections", "links"], "properties": {
            "collections": {"type": "array", "items": {"$ref": "#/components/schemas/Collection"}},
            "crs": {"type": "array", "items": {"type": "string"}},
            "links": {"type": "array", "items": {"$ref": "#/components/schemas/Link"}}}},
        "Geometry": {"type": "object", "nullable": true, "required": ["type"], "properties": {"type": {"type": "string", "enum": [
            "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection"]}}},
        "Feature": {"type": "object", "required": ["type", "geometry", "properties"], "properties": {
            "type": {"type": "string", "enum": ["Feature"]},
            "id": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
            "geometry": {"$ref": "#/components/schemas/Geometry"},
            "properties": {"type": "object", "nullable": true},
            "links": {"type": "array", "items": {"$ref": "#/components/schemas/Link"}}}},
        "FeatureInput": {"type": "object", "properties": {
            "type": {"type": "string", "enum": ["Feature"]},
            "geometry": {"$ref": "#/components/schemas/Geometry"},
            "properties": {"type": "object", "nullable": true}}},
        "FeatureCollection": {"type": "object", "required": ["type", "features"], "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "features": {"type": "array", "items": {"$ref": "#/components/schemas/Feature"}},
            "numberMatched": {"type": "integer", "minimum": 0},
            "numberReturned": {"type": "integer", "minimum": 0},
            "timeStamp": {"type": "string", "format": "date-time"},
            "links": {"type": "array", "items": {"$ref": "#/components/schemas/Link"}}}},
    })
}

pub async fn api(state: Ctx, headers: HeaderMap, Query(q): Query<Pairs>) -> FResult<Response> {
    let fmt = json_or_html(&state, &q, &headers)?;
    let doc = document(&state.settings.base_url, extras(&state));
    if fmt == Format::Html {
        return Ok(Html(render(&doc)).into_response());
    }
    Ok(([(header::CONTENT_TYPE, format::OPENAPI)], doc.to_string()).into_response())
}

pub async fn api_html(state: Ctx, Query(q): Query<Pairs>) -> FResult<Response> {
    params::check_meta(&q, extras(&state))?;
    Ok(Html(render(&document(&state.settings.base_url, extras(&state)))).into_response())
}
