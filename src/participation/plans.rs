//! Plans (PDL, PIC, PAI) of a commune: status through mk_plan_transition, four stages with dates
//! and outputs, PAI lines (projects with a year and an amount), and the summary. Public reads;
//! writes by admins and the commune's planners.
use axum::{
    body::Bytes,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use sqlx::PgPool;

use super::extract::{KeyHolder, Keyed, MunicipalityQuery, Params};
use super::{error::db, input, input::parse, json_doc, json_text, text_of};
use crate::{
    auth::Caller, error::AppError, error::AppResult, guard::request_body, state::AppState,
};

fn amount(v: Option<f64>, field: &str) -> AppResult<Option<Decimal>> {
    match v {
        None => Ok(None),
        Some(a) if (0.0..1e15).contains(&a) => {
            Ok(Decimal::from_f64_retain(a).map(|d| d.round_dp(3)))
        }
        Some(_) => Err(AppError::bad_request(format!(
            "\"{field}\" is a finite amount in TND, ≥ 0"
        ))),
    }
}

fn date(v: Option<String>, field: &str) -> AppResult<Option<NaiveDate>> {
    v.map(|d| {
        NaiveDate::parse_from_str(&d, "%Y-%m-%d")
            .map_err(|_| AppError::bad_request(format!("\"{field}\" is a date YYYY-MM-DD")))
    })
    .transpose()
}

pub(super) async fn writer_of(pool: &PgPool, caller: &Caller, id: i64) -> AppResult<()> {
    caller.require_key()?;
    let code: Option<String> = sqlx::query_scalar(include_str!("sql/plan_commune.sql"))
        .bind(id)
        .fetch_optional(pool)
        .await
        .map_err(db)?;
    let code = code.ok_or_else(|| no_plan(id))?;
    caller.require_edit_municipality(&code)?;
    Ok(())
}

request_body! {
    pub struct CreateBody {
        pub municipality: Option<String>,
        pub kind: Option<String>,
        pub title: Option<String>,
        pub period_start: Option<i32>,
        pub period_end: Option<i32>,
        pub envelope_tnd: Option<f64>,
    }
}

/// `POST /api/participation/plans`
pub async fn create(k: KeyHolder, body: Bytes) -> AppResult<Response> {
    let b: CreateBody = parse(&body, "\"municipality\", \"kind\" (PDL|PIC|PAI), \"title\", \"period_start\", \"period_end\", \"envelope_tnd\"")?;
    let municipality = k.commune(b.municipality)?;
    let kind = match b.kind.as_deref() {
        Some(k @ ("PDL" | "PIC" | "PAI")) => k.to_string(),
        _ => return Err(AppError::bad_request("\"kind\" is PDL, PIC or PAI")),
    };
    let title = input::required(b.title, "title", "title")?;
    let (Some(from), Some(to)) = (b.period_start, b.period_end) else {
        return Err(AppError::bad_request(
            "\"period_start\" and \"period_end\" (years) are required",
        ));
    };
    if !(2000..=2100).contains(&from) || to < from || to > 2100 {
        return Err(AppError::bad_request(
            "the period is two years between 2000 and 2100, the end not before the start",
        ));
    }
    let id: i64 = sqlx::query_scalar(include_str!("sql/plan_insert.sql"))
        .bind(&municipality)
        .bind(&kind)
        .bind(&title)
        .bind(from)
        .bind(to)
        .bind(amount(b.envelope_tnd, "envelope_tnd")?)
        .bind(k.who.author())
        .fetch_one(&k.pool)
        .await
        .map_err(db)?;
    let s = plan_json(&k.pool, id).await?;
    Ok(json_text(StatusCode::CREATED, s))
}

pub(super) async fn plan_json(pool: &PgPool, id: i64) -> AppResult<String> {
    text_of(pool, include_str!("sql/plan_get.sql"), id, || no_plan(id)).await
}

fn no_plan(id: i64) -> AppError {
    AppError::not_found(format!("no plan {id}"))
}

/// `GET /api/participation/plans/{id}`
pub async fn get(State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<Response> {
    Ok(json_text(StatusCode::OK, plan_json(&st.pool, id).await?))
}

/// `GET /api/participation/plans?municipality=CODE`
pub async fn list(
    State(st): State<AppState>,
    Params(q): Params<MunicipalityQuery>,
) -> AppResult<Response> {
    json_doc(
        &st.pool,
        sqlx::query_scalar(include_str!("sql/plan_list.sql")).bind(q.municipality),
    )
    .await
}

request_body! {
    pub struct UpdateBody {
        pub status: Option<String>,
        pub adopted_on: Option<String>,
        pub deliberation_ref: Option<String>,
        pub title: Option<String>,
        pub envelope_tnd: Option<f64>,
    }
}

/// `PATCH /api/participation/plans/{id}` — status (409 on an illegal move), adoption, title, envelope.
pub async fn update(k: Keyed, body: Bytes) -> AppResult<Response> {
    let (pool, id) = (&k.pool, k.id);
    writer_of(pool, &k.who, id).await?;
    let b: UpdateBody = parse(
        &body,
        "any of \"status\", \"adopted_on\", \"deliberation_ref\", \"title\", \"envelope_tnd\"",
    )?;
    let adopted = date(b.adopted_on, "adopted_on")?;
    let deliberation = input::text(b.deliberation_ref, "deliberation_ref", "code")?;
    let title = input::text(b.title, "title", "title")?;
    let envelope = amount(b.envelope_tnd, "envelope_tnd")?;
    let mut tx = pool.begin().await.map_err(db)?;
    sqlx::query(include_str!("sql/plan_update.sql"))
        .bind(id)
        .bind(title)
        .bind(envelope)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    if b.status.is_some() || adopted.is_some() || deliberation.is_some() {
        sqlx::query(include_str!("sql/plan_transition.sql"))
            .bind(id)
            .bind(b.status)
            .bind(adopted)
            .bind(deliberation)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
    }
    tx.commit().await.map_err(db)?;
    Ok(json_text(StatusCode::OK, plan_json(pool, id).await?))
}

request_body! {
    pub struct StageBody {
        pub starts_on: Option<String>,
        pub ends_on: Option<String>,
        pub outputs: Option<Vec<Value>>,
    }
}

/// `PUT /api/participation/plans/{id}/stages/{stage}` — `{"starts_on", "ends_on", "outputs": [...]}`.
pub async fn put_stage(
    State(st): State<AppState>,
    Path((id, stage)): Path<(i64, String)>,
    caller: Caller,
    body: Bytes,
) -> AppResult<Response> {
    writer_of(&st.pool, &caller, id).await?;
    if !["diagnosis", "planning", "implementation", "monitoring"].contains(&stage.as_str()) {
        return Err(AppError::not_found(
            "a stage is diagnosis, planning, implementation or monitoring",
        ));
    }
    let b: StageBody = parse(
        &body,
        "\"starts_on\", \"ends_on\" (YYYY-MM-DD), \"outputs\" (an array)",
    )?;
    let outputs = Value::Array(b.outputs.unwrap_or_default());
    input::text(Some(outputs.to_string()), "outputs", "description")?;
    sqlx::query(include_str!("sql/plan_stage_put.sql"))
        .bind(id)
        .bind(&stage)
        .bind(date(b.starts_on, "starts_on")?)
        .bind(date(b.ends_on, "ends_on")?)
        .bind(&outputs)
        .fetch_one(&st.pool)
        .await
        .map_err(db)?;
    Ok(json_text(StatusCode::OK, plan_json(&st.pool, id).await?))
}

request_body! {
    pub struct LineBody {
        pub project: Option<String>,
        pub year: Option<i32>,
        pub amount_tnd: Option<f64>,
        pub zone: Option<String>,
    }
}

/// `POST /api/participation/plans/{id}/lines` — `{"project": CODE, "year", "amount_tnd", "zone"}`.
pub async fn add_line(k: Keyed, body: Bytes) -> AppResult<Response> {
    let id = k.id;
    writer_of(&k.pool, &k.who, id).await?;
    let b: LineBody = parse(
        &body,
        "\"project\" (code), \"year\", \"amount_tnd\", optionally \"zone\" (code)",
    )?;
    let project = input::required(b.project, "project", "code")?;
    let year = b
        .year
        .filter(|y| (2000..=2100).contains(y))
        .ok_or_else(|| AppError::bad_request("\"year\" is a year 2000-2100"))?;
    let amount = amount(b.amount_tnd, "amount_tnd")?
        .ok_or_else(|| AppError::bad_request("\"amount_tnd\" is required"))?;
    let line: Option<i64> = sqlx::query_scalar(include_str!("sql/plan_line_insert.sql"))
        .bind(id)
        .bind(&project)
        .bind(year)
        .bind(amount)
        .bind(input::text(b.zone, "zone", "code")?)
        .fetch_optional(&k.pool)
        .await
        .map_err(db)?;
    let line = line.ok_or_else(|| AppError::bad_request(format!("no project {project}")))?;
    Ok((
        StatusCode::CREATED,
        axum::Json(json!({"id": line, "plan_id": id})),
    )
        .into_response())
}

/// `GET /api/participation/plans/{id}/summary`
pub async fn summary(State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<Response> {
    let sql = include_str!("sql/plan_summary.sql");
    let s = text_of(&st.pool, sql, id, || no_plan(id)).await?;
    Ok(json_text(StatusCode::OK, s))
}
