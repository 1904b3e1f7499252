//! Projects: automatic assignment to units (kept by the database, see migrations 0004/0005),
//! apportionment, monitoring (lifecycle, progress, delays, blocked flag) and the project context.
//!
//! - `GET /api/projects/{code}/context[?as_of=]` — units and shares, zones and verdict, nearest
//!   facilities, funding, monitoring and progress.
//! - `GET /api/projects/{code}/assignments[?as_of=|?history=true]` — the assignment rows.
//! - `GET /api/projects/{code}/history` — the append-only event history and the lifecycle.
//! - `POST /api/projects/{code}/status` — a lifecycle transition (409 with the reason when refused).
//! - `POST /api/projects/{code}/progress` — a progress report.
//! - `PUT /api/projects/{code}/disclosure` — the disclosure level of its locations
//!   (docs/disclosure.md).
//! - `GET/POST /api/projects/{code}/funding`, `PUT/DELETE /api/projects/{code}/funding/{id}` —
//!   funding lines, with `warnings` when they do not add up to the budget.
//!
//! Every write follows docs/write-rules.md (one lifecycle check in the database, corrections
//! with a reason, planner scope "inside", serialized refresh).
//!
//! Writes need a key: admin, a planner of one of the project's municipalities, or the partner
//! that owns the project; the key is the author recorded in the history.
pub mod access;
pub mod asof;
pub mod disclosure;
pub mod error;
pub mod funding;
pub mod input;
pub mod monitoring;
pub mod rules;

use crate::error::QueryParams;
use crate::routes::route_table;
use axum::{
    body::Bytes,
    extract::Path,
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post, put},
    Router,
};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use sqlx::{PgPool, Postgres, Transaction};

pub use error::ProjectsError;

use crate::{auth::Caller, ctx::Ctx, error::AppResult};
use access::{ProjectRequest, ProjectWrite};
use error::PResult;
use input::{parse_body, ProgressBody, StatusBody};

pub fn routes<S: crate::ctx::CtxState>() -> Router<S> {
    route_table! {
        "/api/projects/{code}/context" => get(context),
        "/api/projects/{code}/assignments" => get(assignments),
        "/api/projects/{code}/history" => get(history),
        "/api/projects/{code}/status" => post(status),
        "/api/projects/{code}/progress" => post(progress),
        "/api/projects/{code}/disclosure" => put(disclosure::put),
        "/api/projects/{code}/funding" => get(funding_list).post(funding_create),
        "/api/projects/{code}/funding/{id}" => put(funding_replace).delete(funding_delete),
    }
}

/// A transaction for the planning queries, with JIT compilation off: their plans are large but
/// cheap, and LLVM would spend seconds compiling them (measured: 22 s instead of 0.6 s).
pub async fn planning_tx(pool: &PgPool) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("SET LOCAL jit = off").execute(&mut *tx).await?;
    Ok(tx)
}

/// A JSON document built by PostgreSQL, sent as is (numbers keep their exact decimals).
pub fn json_text(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

#[derive(Debug, Default, Deserialize)]
pub struct AsOfQuery {
    pub as_of: Option<String>,
    pub history: Option<String>,
    pub f: Option<String>,
    pub level: Option<String>,
    pub governorate: Option<String>,
}

/// `as_of=` as an instant (see [`asof::parse`]).
pub fn as_of(raw: Option<&str>) -> PResult<Option<DateTime<Utc>>> {
    asof::parse(raw, Utc::now()).map_err(ProjectsError::Invalid)
}

async fn context(
    r: ProjectRequest<Caller>,
    QueryParams(q): QueryParams<AsOfQuery>,
) -> AppResult<Response> {
    let t = as_of(q.as_of.as_deref())?;
    let p = access::visible(&r.pool, &r.code, &r.caller).await?;
    Ok(json_text(
        StatusCode::OK,
        context_json(&r.pool, p.id, t, &r.caller.visibility()).await?,
    ))
}

/// The context document of project `id` (found visible first) at `t` (None: now) as `v` may see
/// it (its locations in the caller's geometry, docs/disclosure.md), as JSON text: what
/// `GET /api/projects/{code}/context` answers, and what the project page reads.
pub async fn context_json(
    pool: &PgPool,
    id: i64,
    t: Option<DateTime<Utc>>,
    v: &crate::auth::Visibility,
) -> PResult<String> {
    let mut tx = planning_tx(pool).await?;
    Ok(sqlx::query_scalar(include_str!("sql/context.sql"))
        .bind(id)
        .bind(t)
        .bind(v.all)
        .bind(&v.partner)
        .bind(&v.municipalities)
        .fetch_one(&mut *tx)
        .await?)
}

/// The event history of project `id` (found visible first), as JSON text: what
/// `GET /api/projects/{code}/history` answers.
pub async fn history_json(pool: &PgPool, id: i64) -> PResult<String> {
    let mut tx = planning_tx(pool).await?;
    Ok(sqlx::query_scalar(include_str!("sql/history.sql"))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?)
}

async fn assignments(
    r: ProjectRequest<Caller>,
    QueryParams(q): QueryParams<AsOfQuery>,
) -> AppResult<Response> {
    let t = as_of(q.as_of.as_deref())?;
    let history = match q.history.as_deref().map(str::trim) {
        None | Some("") | Some("false") => false,
        Some("true") => true,
        Some(other) => {
            return Err(ProjectsError::Invalid(format!(
                "'history={other}' is not valid: give true (every row ever written) or false"
            ))
            .into())
        }
    };
    if history && t.is_some() {
        return Err(ProjectsError::Invalid(
            "give either as_of (the rows valid then) or history=true (all rows), not both".into(),
        )
        .into());
    }
    let p = access::visible(&r.pool, &r.code, &r.caller).await?;
    let mut tx = planning_tx(&r.pool).await.map_err(ProjectsError::from)?;
    let v = r.caller.visibility();
    let body: String = sqlx::query_scalar(include_str!("sql/assignments.sql"))
        .bind(p.id)
        .bind(t)
        .bind(history)
        .bind(v.all)
        .bind(v.partner)
        .bind(v.municipalities)
        .fetch_one(&mut *tx)
        .await
        .map_err(ProjectsError::from)?;
    Ok(json_text(StatusCode::OK, body))
}

async fn history(state: Ctx, Path(code): Path<String>, caller: Caller) -> AppResult<Response> {
    let p = access::visible(&state.pool, &code, &caller).await?;
    Ok(json_text(
        StatusCode::OK,
        history_json(&state.pool, p.id).await?,
    ))
}

async fn status(w: ProjectWrite, body: Bytes) -> AppResult<Response> {
    let body: StatusBody = parse_body(
        &body,
        "\"status\" (and optionally \"note\", \"date\": YYYY-MM-DD)",
    )?;
    let known = monitoring::statuses(&w.pool).await?;
    let change = body.validate(&known, asof::today())?;
    let out = rules::retry_once(|| monitoring::change_status(w.target(), &change)).await?;
    Ok(json_text(StatusCode::OK, out))
}

async fn progress(w: ProjectWrite, body: Bytes) -> AppResult<Response> {
    let body: ProgressBody = parse_body(
        &body,
        "any of \"physical_pct\", \"committed_tnd\", \"paid_tnd\", \"blocked\" with \"blocked_cause\", \
         and optionally \"date\" (YYYY-MM-DD) and \"note\"",
    )?;
    let report = body.validate(asof::today())?;
    let out = rules::retry_once(|| monitoring::add_progress(w.target(), &report)).await?;
    Ok(json_text(StatusCode::CREATED, out))
}

async fn funding_list(state: Ctx, Path(code): Path<String>, caller: Caller) -> AppResult<Response> {
    let out = funding::list(&state.pool, &code, &caller).await?;
    Ok(json_text(StatusCode::OK, out))
}

async fn funding_line(w: &ProjectWrite, body: &Bytes) -> PResult<funding::FundingLine> {
    let body: funding::FundingBody = parse_body(body, funding::FIELDS)?;
    body.validate(&funding::kinds(&w.pool).await?)
}

/// The path's funding line `{id}`.
fn line_id(w: &ProjectWrite) -> PResult<i64> {
    let raw = w.id.as_deref().unwrap_or_default();
    raw.trim()
        .parse()
        .map_err(|_| ProjectsError::Invalid(format!("funding line id '{raw}' is not a number")))
}

async fn funding_create(w: ProjectWrite, body: Bytes) -> AppResult<Response> {
    let line = funding_line(&w, &body).await?;
    let change = funding::Change::Create(&line);
    let out = rules::retry_once(|| funding::change(w.target(), change)).await?;
    Ok(json_text(StatusCode::CREATED, out))
}

async fn funding_replace(w: ProjectWrite, body: Bytes) -> AppResult<Response> {
    let id = line_id(&w)?;
    let line = funding_line(&w, &body).await?;
    let change = funding::Change::Replace(id, &line);
    let out = rules::retry_once(|| funding::change(w.target(), change)).await?;
    Ok(json_text(StatusCode::OK, out))
}

async fn funding_delete(w: ProjectWrite) -> AppResult<Response> {
    let id = line_id(&w)?;
    let out =
        rules::retry_once(|| funding::change(w.target(), funding::Change::Delete(id))).await?;
    Ok(json_text(StatusCode::OK, out))
}

/// Build the overlay masks that are missing or stale (lines and polygons need them; see
/// migrations/0009_masks_on_demand.sql), so the first line or polygon does not wait for them.
/// Returns how many were built.
pub async fn warm_masks(pool: &PgPool) -> Result<i32, sqlx::Error> {
    sqlx::query_scalar("SELECT mk_masks_warm()")
        .fetch_one(pool)
        .await
}

/// [`warm_masks`] in the background, logging what it did.
pub fn spawn_warm_masks(pool: PgPool) {
    tokio::spawn(async move {
        let started = std::time::Instant::now();
        match warm_masks(&pool).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(
                masks = n,
                "overlay masks built in {:.1} s",
                started.elapsed().as_secs_f64()
            ),
            Err(e) => {
                tracing::warn!(error = %e, "overlay masks not built ahead; the first line or polygon will build them")
            }
        }
    });
}
