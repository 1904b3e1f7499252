//! Indicators and diagnosis per unit, level and for the whole country (SQL aggregates over the
//! caches the database keeps, migration 0005; recomputed for `as_of` dates).
//!
//! - `GET /api/indicators?level=municipality[&governorate=11][&as_of=][&f=csv]` — every unit of the
//!   level, the unallocated lines and the national total (JSON; CSV with `f=csv` or `Accept: text/csv`).
//! - `GET /api/units/{level}/{code}/diagnosis[?as_of=][&f=html]` — one unit's diagnosis (JSON, or a
//!   printable bilingual HTML sheet with a small map and charts, no external assets).
//! - `GET /api/indicators/breakdown?level=&by=theme|status|funding[&governorate=][&as_of=][&f=csv]`.
//! - `GET /api/data-quality[?municipality=CODE][&f=csv|html]` — projects with warnings.
//!
//! Every CSV starts with a UTF-8 byte order mark (spreadsheets then read Arabic right); facility
//! figures carry `caveats` (incomplete layer). `at=` is accepted as a synonym of `as_of=`.
pub mod breakdown;
pub mod caveats;
pub mod quality;
pub mod query;
pub mod sheet;
pub mod svg;

use crate::error::QueryParams;
use crate::routes::route_table;
use axum::{
    extract::Path,
    http::{HeaderMap, StatusCode},
    response::{Html, IntoResponse, Response},
    routing::get,
    Router,
};

use crate::{
    auth::Caller,
    ctx::Ctx,
    error::{AppError, AppResult},
    landuse::{csv_response, wants_csv},
    projects::{as_of, json_text},
    web::wants_html,
};

pub fn routes<S: crate::ctx::CtxState>() -> Router<S> {
    route_table! {
        "/api/indicators" => get(indicators),
        "/api/indicators/breakdown" => get(breakdown_handler),
        "/api/data-quality" => get(data_quality),
        "/api/units/{level}/{code}/diagnosis" => get(diagnosis),
    }
}

/// The query string of the indicator endpoints.
#[derive(Debug, Default, serde::Deserialize)]
pub struct IndicatorQuery {
    #[serde(alias = "at")]
    pub as_of: Option<String>,
    pub f: Option<String>,
    pub level: Option<String>,
    pub governorate: Option<String>,
    pub by: Option<String>,
    pub municipality: Option<String>,
    /// The diagnosis sheet's language (`fr`, `ar`).
    pub lang: Option<String>,
}

fn required_level(q: &IndicatorQuery) -> Result<&str, AppError> {
    q.level
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .ok_or_else(|| {
            AppError::BadRequest(
                "missing parameter 'level': give level=municipality, delegation or governorate \
             (sector when sector geometries are loaded)"
                    .into(),
            )
        })
}

fn bom_csv(text: String, filename: &str) -> Response {
    csv_response(caveats::with_bom(text), filename)
}

fn json_value(v: &serde_json::Value) -> Response {
    json_text(StatusCode::OK, v.to_string())
}

async fn breakdown_handler(
    state: Ctx,
    headers: HeaderMap,
    QueryParams(q): QueryParams<IndicatorQuery>,
) -> AppResult<Response> {
    let (f, by) = figures(&state, &headers, &q, |q| breakdown::by(q.by.as_deref())).await?;
    if f.csv {
        let text = breakdown::csv_text(&state.pool, &f, by).await?;
        return Ok(bom_csv(text, &format!("breakdown_{}_{by}.csv", f.level)));
    }
    Ok(json_value(&breakdown::json(&state.pool, &f, by).await?))
}

async fn data_quality(
    state: Ctx,
    caller: Caller,
    headers: HeaderMap,
    QueryParams(q): QueryParams<IndicatorQuery>,
) -> AppResult<Response> {
    let muni = nonblank(&q.municipality);
    let vis = caller.visibility();
    let f = q.f.as_deref().map(str::trim).filter(|f| !f.is_empty());
    if f.is_some_and(|f| f.eq_ignore_ascii_case("html"))
        || (f.is_none() && wants_html(&headers, None))
    {
        let v = quality::json(&state.pool, muni, &vis).await?;
        return Ok(Html(quality::html(&v)).into_response());
    }
    if wants_csv(&headers, f).map_err(|_| {
        AppError::BadRequest(format!(
            "'f={}' is not a format here: give f=json, f=csv or f=html",
            f.unwrap_or_default()
        ))
    })? {
        let text = quality::csv_text(&state.pool, muni, &vis).await?;
        return Ok(bom_csv(text, "data_quality.csv"));
    }
    Ok(json_value(&quality::json(&state.pool, muni, &vis).await?))
}

async fn indicators(
    state: Ctx,
    headers: HeaderMap,
    QueryParams(q): QueryParams<IndicatorQuery>,
) -> AppResult<Response> {
    let (f, ()) = figures(&state, &headers, &q, |_| Ok(())).await?;
    if f.csv {
        let text = query::csv_text(&state.pool, &f).await?;
        return Ok(bom_csv(text, &format!("indicators_{}.csv", f.level)));
    }
    let body = query::json(&state.pool, &f).await?;
    let v = caveats::attach(&body, caveats::facilities(&state.pool).await?)
        .map_err(|e| crate::error::AppError::internal("indicators JSON", e))?;
    Ok(json_value(&v))
}

async fn diagnosis(
    state: Ctx,
    Path((level, code)): Path<(String, String)>,
    caller: Caller,
    headers: HeaderMap,
    QueryParams(q): QueryParams<IndicatorQuery>,
) -> AppResult<Response> {
    let t = as_of(q.as_of.as_deref())?;
    let code = code.trim();
    if let Some(f) = q.f.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
        if !["json", "html"].iter().any(|x| f.eq_ignore_ascii_case(x)) {
            return Err(AppError::BadRequest(format!(
                "'f={f}' is not a format here: give f=json or f=html"
            )));
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
    let value = caveats::attach(&body, caveats::facilities(&state.pool).await?)
        .map_err(|e| crate::error::AppError::internal("diagnosis JSON", e))?;
    if wants_html(&headers, q.f.as_deref()) {
        let lang = sheet::Lang::parse(q.lang.as_deref()).map_err(AppError::BadRequest)?;
        let html = sheet::render(&value, lang, &state.settings.base_url);
        return Ok(Html(html).into_response());
    }
    Ok(json_value(&value))
}

/// A query parameter's value, trimmed; None when absent or blank.
fn nonblank(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// What a table of figures (`/api/indicators`, its breakdown) is asked for.
pub struct Figures<'q> {
    pub level: &'q str,
    pub t: Option<chrono::DateTime<chrono::Utc>>,
    pub gov: Option<&'q str>,
    /// CSV rather than JSON.
    pub csv: bool,
}

/// Reads a table's query, in this order (the first mistake is the one reported): the level,
/// `then` (the endpoint's own parameters), the instant, the governorate, the format. The level
/// must have units at `t`; current figures are brought up to date first.
async fn figures<'q, X>(
    state: &Ctx,
    headers: &HeaderMap,
    q: &'q IndicatorQuery,
    then: impl FnOnce(&'q IndicatorQuery) -> Result<X, AppError>,
) -> AppResult<(Figures<'q>, X)> {
    let level = required_level(q)?;
    let own = then(q)?;
    let t = as_of(q.as_of.as_deref())?;
    let gov = nonblank(&q.governorate);
    query::check_level(&state.pool, level, t, false).await?;
    if t.is_none() {
        query::ensure_fresh(&state.pool).await?;
    }
    let csv = wants_csv(headers, q.f.as_deref()).map_err(AppError::BadRequest)?;
    Ok((Figures { level, t, gov, csv }, own))
}
