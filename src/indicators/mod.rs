//! Indicators and diagnosis per unit, level and for the whole country (SQL aggregates over the
//! caches the database keeps, migration 0005; recomputed for `as_of` dates).
//!
//! - `GET /api/indicators?level=municipality[&governorate=11][&as_of=][&f=csv]` — every unit of the
//!   level, the unallocated lines and the national total (JSON; CSV with `f=csv` or `Accept: text/csv`).
//! - `GET /api/units/{level}/{code}/diagnosis[?as_of=][&f=html]` — one unit's diagnosis (JSON, or a
//!   printable bilingual HTML sheet with a small map and charts, no external assets).
pub mod error;
pub mod query;
pub mod sheet;
pub mod svg;

use axum::{
    extract::{rejection::QueryRejection, Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{Html, IntoResponse, Response},
    routing::get,
    Router,
};

pub use error::IndicatorsError;

use crate::{
    auth::Caller,
    error::AppResult,
    landuse::{csv_response, wants_csv},
    projects::{as_of, json_text, query as parse_query, AsOfQuery},
    state::AppState,
    web::wants_html,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/indicators", get(indicators))
        .route("/api/units/{level}/{code}/diagnosis", get(diagnosis))
}

async fn indicators(
    State(state): State<AppState>,
    headers: HeaderMap,
    q: Result<Query<AsOfQuery>, QueryRejection>,
) -> AppResult<Response> {
    let q = parse_query(q)?;
    let level = q
        .level
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .ok_or_else(|| {
            IndicatorsError::Invalid(
                "missing parameter 'level': give level=municipality, delegation or governorate \
             (sector when sector geometries are loaded)"
                    .into(),
            )
        })?;
    let t = as_of(q.as_of.as_deref())?;
    let gov = q
        .governorate
        .as_deref()
        .map(str::trim)
        .filter(|g| !g.is_empty());
    query::check_level(&state.pool, level, t, false).await?;
    if t.is_none() {
        query::ensure_fresh(&state.pool).await?;
    }
    if wants_csv(&headers, q.f.as_deref()).map_err(IndicatorsError::Invalid)? {
        let text = query::csv_text(&state.pool, level, t, gov).await?;
        return Ok(csv_response(text, &format!("indicators_{level}.csv")));
    }
    Ok(json_text(
        StatusCode::OK,
        query::json(&state.pool, level, t, gov).await?,
    ))
}

async fn diagnosis(
    State(state): State<AppState>,
    Path((level, code)): Path<(String, String)>,
    caller: Caller,
    headers: HeaderMap,
    q: Result<Query<AsOfQuery>, QueryRejection>,
) -> AppResult<Response> {
    let q = parse_query(q)?;
    let t = as_of(q.as_of.as_deref())?;
    let code = code.trim();
    if let Some(f) = q.f.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
        if !["json", "html"].iter().any(|x| f.eq_ignore_ascii_case(x)) {
            return Err(IndicatorsError::Invalid(format!(
                "'f={f}' is not a format here: give f=json or f=html"
            ))
            .into());
        }
    }
    query::check_level(&state.pool, &level, t, true).await?;
    let gov = query::unit_governorate(&state.pool, &level, code, t).await?;
    if t.is_none() {
        query::ensure_fresh(&state.pool).await?;
    }
    let body = query::diagnosis(
        &state.pool,
        &level,
        code,
        t,
        gov.as_deref(),
        &caller.visibility(),
    )
    .await?;
    if wants_html(&headers, q.f.as_deref()) {
        let value: serde_json::Value = serde_json::from_str(&body)
            .map_err(|e| crate::error::AppError::Internal(format!("diagnosis JSON: {e}")))?;
        return Ok(Html(sheet::render(&value)).into_response());
    }
    Ok(json_text(StatusCode::OK, body))
}
