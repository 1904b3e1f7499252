//! Administrative units and hierarchies (gazetteer): locate, search, versions.
//!
//! - `GET /api/locate?lon=&lat=[&at=]` — the units of every level containing a point.
//! - `GET /api/units?q=&level=&limit=[&at=]` — name search in Arabic, French or English (units valid
//!   at `at`, default now).
//! - `GET /api/units/{level}/{code}` — one unit: names, parent, area, population, versions, geometry.
pub mod error;
pub mod index;
pub mod params;
pub mod queries;

use crate::error::QueryParams;
use std::sync::Arc;

use axum::{
    extract::{FromRef, Path, State},
    routing::get,
    Json, Router,
};
use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgPool;

pub use error::TerritoryError;
pub use index::UnitIndex;
pub use queries::{LocatedUnit, SearchHit, UnitDetail};

use crate::error::AppResult;
use params::{LocateQuery, SearchQuery};

/// The gazetteer routes, for any router state that hands out the pool and the unit index (started
/// with the application, `AppState::start`).
pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    PgPool: FromRef<S>,
    Arc<UnitIndex>: FromRef<S>,
{
    Router::new()
        .route("/api/locate", get(locate))
        .route("/api/units", get(search))
        .route("/api/units/{level}/{code}", get(unit))
}

#[derive(Debug, Serialize)]
pub struct LocateResponse {
    pub lon: f64,
    pub lat: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<DateTime<Utc>>,
    pub units: Vec<LocatedUnit>,
}

#[derive(Debug, Serialize)]
pub struct SearchResponse {
    pub query: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<DateTime<Utc>>,
    pub results: Vec<SearchHit>,
}

/// `GET /api/locate`: offshore or outside every unit gives `units: []` (200). Current units come
/// from the in-memory index when it is current, otherwise (and for `at=`) from the database.
async fn locate(
    State(pool): State<PgPool>,
    State(index): State<Arc<UnitIndex>>,
    QueryParams(q): QueryParams<LocateQuery>,
) -> AppResult<Json<LocateResponse>> {
    let p = params::point(&q)?;
    let at = params::instant(q.at.as_deref())?;
    let units = match at.is_none().then(|| index.locate(p)).flatten() {
        Some(units) => units,
        None => queries::locate(&pool, p, at).await?,
    };
    Ok(Json(LocateResponse {
        lon: p.lon,
        lat: p.lat,
        at,
        units,
    }))
}

/// `GET /api/units`: search names, tolerant to accents, Arabic letter variants, bidi marks and case.
async fn search(
    State(pool): State<PgPool>,
    QueryParams(q): QueryParams<SearchQuery>,
) -> AppResult<Json<SearchResponse>> {
    let text = params::search_text(q.q.as_deref())?;
    let limit = params::limit(q.limit.as_deref())?;
    let at = params::instant(q.at.as_deref())?;
    let level = q
        .level
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty());
    if let Some(level) = &level {
        queries::check_level(&pool, level, false).await?;
    }
    let results = queries::search(&pool, &text, level.as_deref(), limit, at).await?;
    Ok(Json(SearchResponse {
        query: text,
        level,
        at,
        results,
    }))
}

/// `GET /api/units/{level}/{code}`.
async fn unit(
    State(pool): State<PgPool>,
    Path((level, code)): Path<(String, String)>,
) -> AppResult<Json<UnitDetail>> {
    queries::check_level(&pool, &level, true).await?;
    Ok(Json(queries::unit(&pool, &level, code.trim()).await?))
}
