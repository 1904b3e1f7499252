//! The web edge shared by all capabilities: landing page, health, metrics, middleware, links; the
//! HTML helpers are in the leaf module [`crate::html`] (re-exported here).
pub mod hygiene;
mod landing;
pub mod layer;
pub mod map;
pub mod metrics;
pub mod middleware;
pub mod rate_limit;
pub mod server;

use crate::routes::route_table;
use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use axum::{
    extract::{FromRef, State},
    http::{HeaderMap, StatusCode},
    response::{Html, IntoResponse, Response},
    routing::get,
    Json, Router,
};
use serde::Serialize;
use serde_json::json;
use sqlx::PgPool;

use crate::html::Lang;
pub use crate::html::{esc, page, wants_html};
use crate::{config::Settings, db::replicas::Reads};

/// Landing page, health and metrics, for any router state that hands out what they read.
pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    PgPool: FromRef<S>,
    Arc<Settings>: FromRef<S>,
    metrics::Metrics: FromRef<S>,
    Arc<rate_limit::RateLimiter>: FromRef<S>,
    Arc<Reads>: FromRef<S>,
{
    route_table! {
        "/" => get(landing),
        "/favicon.svg" => get(favicon),
        "/favicon.ico" => get(favicon),
        "/health" => get(health),
        "/health/live" => get(live),
        "/health/ready" => get(ready),
        "/metrics" => get(metrics::handler),
    }
}

/// A typed link, as OGC API and the landing page use them.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub href: String,
    pub rel: String,
    #[serde(rename = "type")]
    pub media_type: String,
    pub title: String,
}

impl Link {
    pub fn new(href: impl Into<String>, rel: &str, media_type: &str, title: &str) -> Self {
        Self {
            href: href.into(),
            rel: rel.into(),
            media_type: media_type.into(),
            title: title.into(),
        }
    }
}

fn landing_links(base: &str) -> Vec<Link> {
    vec![
        Link::new(
            format!("{base}/?f=json"),
            "self",
            "application/json",
            "This document",
        ),
        Link::new(
            format!("{base}/?f=html"),
            "alternate",
            "text/html",
            "This document as HTML",
        ),
        Link::new(
            format!("{base}/api?f=json"),
            "service-desc",
            "application/vnd.oai.openapi+json;version=3.0",
            "The API definition (OpenAPI 3.0)",
        ),
        Link::new(
            format!("{base}/api.html"),
            "service-doc",
            "text/html",
            "The API documentation",
        ),
        Link::new(
            format!("{base}/conformance?f=json"),
            "conformance",
            "application/json",
            "OGC API conformance classes",
        ),
        Link::new(
            format!("{base}/collections?f=json"),
            "data",
            "application/json",
            "Collections: municipalities, delegations, governorates, land use, projects, facilities",
        ),
        Link::new(
            format!("{base}/health"),
            "status",
            "application/json",
            "Service and database health",
        ),
        Link::new(
            format!("{base}/metrics"),
            "metrics",
            "text/plain",
            "Prometheus metrics",
        ),
        Link::new(
            format!("{base}/api/locate?lon=10.1815&lat=36.8065"),
            "locate",
            "application/json",
            "Administrative units containing a point",
        ),
        Link::new(
            format!("{base}/api/units?q=tunis"),
            "search",
            "application/json",
            "Search units by name (Arabic, French, English)",
        ),
        Link::new(format!("{base}/api/units/municipality/1116"), "unit", "application/json", "One unit: names, parent, area, population, versions, geometry"),
        Link::new(format!("{base}/map"), "map", "text/html", "Map viewer / carte / خريطة (embeddable: /map?embed=1)"),
        Link::new(format!("{base}/tiles?f=json"), "tiles", "application/json", "Vector tiles: catalog, TileJSON, QGIS connections"),
        Link::new(format!("{base}/styles"), "styles", "application/json", "Map styles (MapLibre, and QGIS-safe variants)"),
        Link::new(format!("{base}/api/indicators?level=municipality"), "indicators", "application/json", "Indicators per municipality (also delegation, governorate; f=csv; as_of=YYYY-MM-DD)"),
        Link::new(format!("{base}/api/indicators/breakdown?level=municipality&by=theme"), "indicators-breakdown", "application/json", "Indicators per unit by theme, status or funding source (by=theme|status|funding; f=csv; as_of=)"),
        Link::new(format!("{base}/api/data-quality?f=json"), "data-quality", "application/json", "Projects with data-quality warnings per municipality (municipality=CODE; f=csv|html)"),
        Link::new(format!("{base}/api/units/municipality/1111/diagnosis?f=html"), "diagnosis", "text/html", "Diagnosis sheet of a unit / fiche de diagnostic / بطاقة تشخيص"),
        Link::new(format!("{base}/api/conformity/rules"), "conformity-rules", "application/json", "Land-use conformity rules (project type × zone class), JSON or CSV"),
        Link::new(format!("{base}/api/whoami"), "whoami", "application/json", "The role and scope of the API key sent (Authorization: Bearer, X-API-Key or ?api_key=)"),
    ]
}

#[derive(serde::Deserialize)]
struct FormatQuery {
    f: Option<String>,
    lang: Option<String>,
}

async fn landing(
    State(settings): State<Arc<Settings>>,
    headers: HeaderMap,
    axum::extract::Query(q): axum::extract::Query<FormatQuery>,
) -> Response {
    let base = &settings.base_url;
    let links = landing_links(base);
    if wants_html(&headers, q.f.as_deref()) {
        let lang = Lang::pick(q.lang.as_deref(), &headers);
        return Html(landing::html(&links, base, lang)).into_response();
    }
    Json(json!({
        "title": "Mokhattat — مخطط",
        "description": "Spatial server for territorial planning in Tunisia: municipalities, delegations, governorates, land use, development projects and facilities.",
        "links": links,
    }))
    .into_response()
}

/// The site's icon: a small SVG (a plan's grid with a marker), cached for a day.
async fn favicon() -> Response {
    (
        [
            (axum::http::header::CONTENT_TYPE, "image/svg+xml"),
            (axum::http::header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        include_str!("favicon.svg"),
    )
        .into_response()
}

/// `GET /health`: 200 with the database state, 503 when the database does not answer.
async fn health(State(pool): State<PgPool>) -> Response {
    let start = Instant::now();
    let probe = tokio::time::timeout(
        Duration::from_secs(3),
        sqlx::query_scalar::<_, String>("SELECT postgis_lib_version()").fetch_one(&pool),
    )
    .await;
    let latency_ms = start.elapsed().as_secs_f64() * 1000.0;
    let pool = json!({ "size": pool.size(), "idle": pool.num_idle() });
    match probe {
        Ok(Ok(postgis)) => (
            StatusCode::OK,
            Json(json!({ "status": "ok", "database": { "status": "up", "postgis": postgis, "latency_ms": latency_ms, "pool": pool } })),
        )
            .into_response(),
        Ok(Err(e)) => unavailable(&e.to_string(), pool),
        Err(_) => unavailable("no answer within 3 s", pool),
    }
}

/// `GET /health/live`: the process answers (for a supervisor's restart decision; no database call).
async fn live() -> Response {
    Json(json!({ "status": "alive" })).into_response()
}

/// `GET /health/ready`: 200 when this instance can serve (the primary answers within 2 s), with the
/// read replicas' state; 503 otherwise (a load balancer sends it no traffic meanwhile).
async fn ready(State(reads): State<Arc<Reads>>) -> Response {
    let probe = tokio::time::timeout(
        Duration::from_secs(2),
        sqlx::query_scalar::<_, i32>("SELECT 1").fetch_one(reads.primary()),
    )
    .await;
    let replicas = reads.status();
    match probe {
        Ok(Ok(_)) => Json(json!({ "status": "ready", "primary": "up", "replicas": replicas }))
            .into_response(),
        Ok(Err(e)) => not_ready(&e.to_string(), replicas),
        Err(_) => not_ready("the primary did not answer within 2 s", replicas),
    }
}

fn not_ready(reason: &str, replicas: Vec<serde_json::Value>) -> Response {
    tracing::warn!(reason, "readiness check: not ready");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Json(json!({ "status": "not ready", "primary": "down", "reason": reason, "replicas": replicas })),
    )
        .into_response()
}

fn unavailable(reason: &str, pool: serde_json::Value) -> Response {
    tracing::warn!(reason, "health check: database down");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Json(json!({ "status": "unavailable", "database": { "status": "down", "reason": reason, "pool": pool } })),
    )
        .into_response()
}
