//! `/conformance`, `/collections`, `/collections/{id}` and `/collections/{id}/queryables`.
use crate::ctx::PoolState;
use crate::features::Ctx;
use std::{
    collections::HashMap,
    sync::{Mutex, OnceLock},
    time::{Duration, Instant},
};

use axum::{
    extract::{FromRequestParts, Query},
    http::{header, request::Parts, HeaderMap},
    response::{Html, IntoResponse, Response},
};
use serde_json::{json, Value};

use super::crs;
use super::feature::path_and_query;
use super::params::{self, Pairs};
use crate::features::render::format::{self, negotiate, Format};
use crate::features::{collection, render::html, FResult, FeaturesError};
use crate::layers::{collections, Layer};
use crate::{auth::visibility, web::Link};

pub const CONFORMANCE: &[&str] = &[
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
    "http://www.opengis.net/spec/cql2/1.0/conf/case-insensitive-comparison",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-operators",
    "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/property-property",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/features",
];

const JSON_HTML: &[Format] = &[Format::Json, Format::Html];

/// The common query parameters checked, and the format (JSON or HTML) the client asks for.
pub fn json_or_html(state: &Ctx, q: &Pairs, headers: &HeaderMap) -> FResult<Format> {
    params::check_meta(q, extras(state))?;
    negotiate(params::get(q, "f")?, headers, JSON_HTML)
}

pub fn extras(state: &Ctx) -> &[String] {
    &state.settings.allowed_query_params
}

fn json_response(media: &'static str, body: &Value) -> Response {
    ([(header::CONTENT_TYPE, media)], body.to_string()).into_response()
}

pub async fn conformance(
    state: Ctx,
    headers: HeaderMap,
    Query(q): Query<Pairs>,
) -> FResult<Response> {
    let fmt = json_or_html(&state, &q, &headers)?;
    let base = &state.settings.base_url;
    if fmt == Format::Html {
        let v = html::View::new("/conformance", &q, &headers);
        return Ok(Html(html::conformance(CONFORMANCE, &v)).into_response());
    }
    Ok(json_response(
        format::JSON,
        &json!({
            "conformsTo": CONFORMANCE,
            "links": [
                Link::new(format!("{base}/conformance"), "self", format::JSON, "This document"),
                Link::new(format!("{base}/conformance?f=html"), "alternate", format::HTML, "This document as HTML"),
            ],
        }),
    ))
}

/// Spatial and temporal extents, computed from the data and kept for a minute.
struct Extent {
    bbox: [f64; 4],
    interval: [Option<String>; 2],
}

type ExtentCache = Mutex<HashMap<&'static str, (Instant, [f64; 4], [Option<String>; 2])>>;
static EXTENTS: OnceLock<ExtentCache> = OnceLock::new();
const TUNISIA: [f64; 4] = [7.52, 30.23, 11.6, 37.55];

async fn extent(state: &Ctx, c: &'static Layer) -> FResult<Extent> {
    let cache = EXTENTS.get_or_init(Default::default);
    if let Ok(map) = cache.lock() {
        if let Some((at, bbox, interval)) = map.get(c.id) {
            if at.elapsed() < Duration::from_secs(60) {
                return Ok(Extent {
                    bbox: *bbox,
                    interval: interval.clone(),
                });
            }
        }
    }
    // the advertised extent is the same for everyone: the projects an anonymous caller sees
    let public = if c.scoped {
        format!(" AND {}", visibility::anonymous_sql("t"))
    } else {
        String::new()
    };
    let (geom_from, geom) = if !c.geom_is_project_locations() {
        (
            format!("{} WHERE {}{public}", c.table, c.base_where),
            c.geom,
        )
    } else {
        (
            format!(
                "project_location l JOIN project t ON t.id = l.project_id WHERE {}",
                visibility::anonymous_sql("t")
            ),
            // the public geometry (docs/disclosure.md): the extent reveals no masked location
            "l.public_geom",
        )
    };
    let sql = format!(
        "SELECT ST_XMin(e)::float8, ST_YMin(e)::float8, ST_XMax(e)::float8, ST_YMax(e)::float8 \
         FROM (SELECT ST_Extent({geom}) AS e FROM {geom_from}) s"
    );
    let row: (Option<f64>, Option<f64>, Option<f64>, Option<f64>) = sqlx::query_as(&sql)
        .fetch_one(&state.pool)
        .await
        .map_err(FeaturesError::db("computing the spatial extent"))?;
    let bbox = match row {
        (Some(a), Some(b), Some(c), Some(d)) => [a, b, c, d],
        _ => TUNISIA,
    };
    let interval = match c.temporal {
        None => [None, None],
        Some((s, e)) => {
            let fmt = "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'";
            let sql = format!(
                "SELECT to_char(min({s}) AT TIME ZONE 'UTC', {fmt}), \
                 CASE WHEN bool_or({e} IS NULL) THEN NULL ELSE to_char(max({e}) AT TIME ZONE 'UTC', {fmt}) END \
                 FROM {} WHERE {}{public}",
                c.table, c.base_where
            );
            let (a, b): (Option<String>, Option<String>) = sqlx::query_as(&sql)
                .fetch_one(&state.pool)
                .await
                .map_err(FeaturesError::db("computing the temporal extent"))?;
            [a, b]
        }
    };
    if let Ok(mut map) = cache.lock() {
        map.insert(c.id, (Instant::now(), bbox, interval.clone()));
    }
    Ok(Extent { bbox, interval })
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

// size: mostly a literal JSON document (a collection's metadata) after its two extent queries
/// The description of one collection, as `/collections` and `/collections/{id}` give it.
async fn describe(state: &Ctx, c: &'static Layer) -> FResult<Value> {
    let base = &state.settings.base_url;
    let ext = extent(state, c).await?;
    let id = c.id;
    let mut links = vec![
        Link::new(
            format!("{base}/collections/{id}"),
            "self",
            format::JSON,
            "This collection",
        ),
        Link::new(
            format!("{base}/collections/{id}?f=html"),
            "alternate",
            format::HTML,
            "This collection as HTML",
        ),
        Link::new(
            format!("{base}/collections/{id}/items"),
            "items",
            format::GEOJSON,
            "Features as GeoJSON",
        ),
        Link::new(
            format!("{base}/collections/{id}/items?f=html"),
            "items",
            format::HTML,
            "Features as HTML",
        ),
        Link::new(
            format!("{base}/collections/{id}/items?f=csv"),
            "items",
            format::CSV,
            "Features as CSV (geometry as WKT)",
        ),
        Link::new(
            format!(
                "{base}/collections/{id}/items?f=gpkg&limit={}",
                params::MAX_LIMIT
            ),
            "enclosure",
            format::GPKG,
            "Download as GeoPackage",
        ),
        Link::new(
            format!(
                "{base}/collections/{id}/items?f=fgb&limit={}",
                params::MAX_LIMIT
            ),
            "enclosure",
            format::FGB,
            "Download as FlatGeobuf",
        ),
        Link::new(
            format!("{base}/collections/{id}/queryables"),
            "http://www.opengis.net/def/rel/ogc/1.0/queryables",
            format::SCHEMA_JSON,
            "Queryable properties",
        ),
    ];
    links.push(Link::new(
        format!("{base}/collections"),
        "collection",
        format::JSON,
        "All collections",
    ));
    let b = ext.bbox;
    Ok(json!({
        "id": id,
        "title": format!("{} — {} — {}", c.title, c.title_fr, c.title_ar),
        "description": c.description,
        "itemType": "feature",
        "extent": {
            "spatial": { "bbox": [[round6(b[0]), round6(b[1]), round6(b[2]), round6(b[3])]], "crs": crs::CRS84_URI },
            "temporal": { "interval": [ext.interval], "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian" },
        },
        "crs": crs::uris(),
        "storageCrs": crs::CRS84_URI,
        "links": links,
    }))
}

pub async fn list(state: Ctx, headers: HeaderMap, Query(q): Query<Pairs>) -> FResult<Response> {
    let fmt = json_or_html(&state, &q, &headers)?;
    let base = &state.settings.base_url;
    let mut cols = Vec::new();
    for c in collections() {
        cols.push(describe(&state, c).await?);
    }
    if fmt == Format::Html {
        let v = html::View::new("/collections", &q, &headers);
        return Ok(Html(html::collections(&cols, &v)).into_response());
    }
    Ok(json_response(
        format::JSON,
        &json!({
            "collections": cols,
            "crs": crs::uris(),
            "links": [
                Link::new(format!("{base}/collections"), "self", format::JSON, "This document"),
                Link::new(format!("{base}/collections?f=html"), "alternate", format::HTML, "This document as HTML"),
            ],
        }),
    ))
}

/// A request for a document about one collection (`/collections/{id}`, its queryables): the
/// collection, the format it is wanted in (JSON or HTML), the query and the headers.
pub struct DocRequest {
    c: &'static Layer,
    fmt: Format,
    q: Pairs,
    headers: HeaderMap,
}

impl<S: PoolState> FromRequestParts<S> for DocRequest {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let Ok(ctx) = Ctx::from_request_parts(parts, state).await;
        let (id, q) = path_and_query::<String, S>(parts, state).await?;
        let c = collection(&id).map_err(IntoResponse::into_response)?;
        let fmt = json_or_html(&ctx, &q, &parts.headers).map_err(IntoResponse::into_response)?;
        let headers = parts.headers.clone();
        Ok(Self { c, fmt, q, headers })
    }
}

pub async fn one(state: Ctx, d: DocRequest) -> FResult<Response> {
    let DocRequest { c, fmt, q, headers } = d;
    let body = describe(&state, c).await?;
    if fmt == Format::Html {
        let v = html::View::new(&format!("/collections/{}", c.id), &q, &headers);
        return Ok(Html(html::collection(c, &body, &v)).into_response());
    }
    Ok(json_response(format::JSON, &body))
}

/// The queryables of a collection as a JSON Schema.
pub fn queryables_schema(base: &str, c: &Layer) -> Value {
    let mut props = serde_json::Map::new();
    props.insert(
        "geometry".into(),
        json!({
            "title": "Geometry",
            "x-ogc-role": "primary-geometry",
            "format": format!("geometry-{}", c.geometry_type.to_ascii_lowercase()),
        }),
    );
    for p in c.props {
        let mut s = p.ty.json_schema();
        s["title"] = json!(p.title);
        props.insert(p.name.into(), s);
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("{base}/collections/{}/queryables", c.id),
        "type": "object",
        "title": c.title,
        "properties": props,
        "additionalProperties": false,
    })
}

pub async fn queryables(state: Ctx, d: DocRequest) -> FResult<Response> {
    let DocRequest { c, fmt, q, headers } = d;
    let schema = queryables_schema(&state.settings.base_url, c);
    if fmt == Format::Html {
        let v = html::View::new(&format!("/collections/{}/queryables", c.id), &q, &headers);
        return Ok(Html(html::queryables(c, &schema, &v)).into_response());
    }
    Ok(json_response(format::SCHEMA_JSON, &schema))
}
