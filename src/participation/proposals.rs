//! Proposals from anyone: submit, read, edit and withdraw (author, with the edit token), similar
//! proposals. Supports, comments and reports are in `reactions`. Thin handlers: parse, call the SQL
//! in `sql/`, answer.
use axum::{
    body::Bytes,
    extract::{Path, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use serde_json::{json, Value};
use sqlx::PgPool;

use super::extract::{query_string, Authoring, Params};
use super::{
    error::db,
    input::{self, parse, EditBody, SubmitBody},
    json_doc, json_text,
    participant::{self, participant, Participant},
    text_of,
};
use crate::{error::AppError, error::AppResult, state::AppState};

/// Distance within which a proposal of the same theme is suggested as a possible duplicate.
pub const SIMILAR_METRES: f64 = 300.0;

pub(super) fn with_participant(status: StatusCode, mut body: Value, p: &Participant) -> Response {
    if let (Some(t), Some(o)) = (&p.issued, body.as_object_mut()) {
        o.insert("participant_token".into(), json!(t));
    }
    let mut resp = (status, axum::Json(body)).into_response();
    if let Some(c) = p.cookie() {
        resp.headers_mut().insert(header::SET_COOKIE, c);
    }
    resp
}

/// A database refusal of the participant's input (SQLSTATE MK400: a place that cannot be read, is
/// invalid or lies outside every municipality; the message says what to do) as a 400, else [`db`].
fn refusal(e: sqlx::Error) -> AppError {
    match &e {
        sqlx::Error::Database(d) if d.code().as_deref() == Some("MK400") => {
            AppError::bad_request(d.message())
        }
        _ => db(e),
    }
}

async fn similar_of(pool: &PgPool, id: i64) -> AppResult<Value> {
    let s: String = sqlx::query_scalar(include_str!("sql/proposal_similar.sql"))
        .bind(id)
        .bind(SIMILAR_METRES)
        .fetch_one(pool)
        .await
        .map_err(db)?;
    json_of(&s)
}

/// A JSON text the database built.
fn json_of(s: &str) -> AppResult<Value> {
    serde_json::from_str(s).map_err(|e| AppError::Internal(e.to_string()))
}

/// `POST /api/participation/proposals`
pub async fn submit(
    State(st): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<Response> {
    let p = participant(&headers)?;
    let body: SubmitBody = parse(
        &body,
        "\"geometry\" (GeoJSON Point or Polygon, lon/lat), \"theme\", \"lang\" (ar|fr), \"title\", \"body\", optionally \"address\", \"author_name\", \"author_contact\"",
    )?;
    if body.honeypot() {
        // accepted and dropped: a bot learns nothing (docs/participation.md, "Honeypot")
        tracing::info!("participation honeypot filled: submission dropped");
        return Ok((
            StatusCode::ACCEPTED,
            axum::Json(json!({"status": "received"})),
        )
            .into_response());
    }
    let s = body.validate()?;
    let token = participant::new_token();
    // one connection for the two statements: one acquisition (and its liveness check) a submission
    let mut conn = st.pool.acquire().await.map_err(db)?;
    let (receipt, similar, _): (String, String, String) =
        sqlx::query_as(include_str!("sql/proposal_insert.sql"))
            .bind(&s.theme)
            .bind(&s.lang)
            .bind(&s.title)
            .bind(&s.body)
            .bind(&s.address)
            .bind(&s.geometry)
            .bind(participant::sha256(&token))
            .bind(&p.hash)
            .bind(&s.author_name)
            .bind(&s.author_contact)
            .bind(SIMILAR_METRES)
            .fetch_one(&mut *conn)
            .await
            .map_err(refusal)?;
    // on disk before it is acknowledged (the insert's commit did not wait for the flush)
    sqlx::query_scalar::<_, String>(include_str!("sql/proposal_flush.sql"))
        .fetch_one(&mut *conn)
        .await
        .map_err(db)?;
    drop(conn);
    let mut out = json_of(&receipt)?;
    out["edit_token"] = json!(token);
    out["possible_duplicates"] = json_of(&similar)?;
    Ok(with_participant(StatusCode::CREATED, out, &p))
}

query_string! {
    pub struct ListQuery {
        pub municipality: Option<String>,
        pub theme: Option<String>,
        pub state: Option<String>,
        pub zone: Option<String>,
        pub limit: Option<i64>,
        pub offset: Option<i64>,
    }
    help "unknown query parameter: use municipality, theme, state, zone, limit, offset"
}

/// `GET /api/participation/proposals?municipality=&theme=&state=&zone=&limit=&offset=`
pub async fn list(State(st): State<AppState>, Params(q): Params<ListQuery>) -> AppResult<Response> {
    let limit = q.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) || q.offset.is_some_and(|o| o < 0) {
        return Err(AppError::bad_request(
            "limit is 1 to 1000 and offset at least 0",
        ));
    }
    json_doc(
        &st.pool,
        sqlx::query_scalar(include_str!("sql/proposal_list.sql"))
            .bind(&q.municipality)
            .bind(&q.theme)
            .bind(&q.state)
            .bind(&q.zone)
            .bind(limit)
            .bind(q.offset.unwrap_or(0)),
    )
    .await
}

fn not_found(id: i64) -> AppError {
    AppError::not_found(format!("no public proposal {id} / لا يوجد مقترح {id}"))
}

/// `GET /api/participation/proposals/{id}`
pub async fn get(State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<Response> {
    let sql = include_str!("sql/proposal_one.sql");
    let s = text_of(&st.pool, sql, id, || not_found(id)).await?;
    Ok(json_text(StatusCode::OK, s))
}

/// `GET /api/participation/proposals/{id}/similar`
pub async fn similar(State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<Response> {
    open_state(&st.pool, id).await?;
    let v = similar_of(&st.pool, id).await?;
    Ok(axum::Json(json!({"distance_m": SIMILAR_METRES, "similar": v})).into_response())
}

pub(super) async fn open_state(pool: &PgPool, id: i64) -> AppResult<String> {
    let sql = include_str!("sql/proposal_open_state.sql");
    text_of(pool, sql, id, || not_found(id)).await
}

/// 404 unless proposal `{id}` exists, 403 unless the edit token is its author's.
async fn check_author(a: &Authoring) -> AppResult<()> {
    let (pool, id) = (&a.pool, a.id);
    let ok: Option<bool> = sqlx::query_scalar(include_str!("sql/proposal_author_check.sql"))
        .bind(id)
        .bind(&a.who.0)
        .fetch_optional(pool)
        .await
        .map_err(db)?;
    match ok {
        None => Err(not_found(id)),
        Some(false) => Err(AppError::Forbidden(
            "this edit token does not belong to the proposal / رمز التعديل غير صحيح".into(),
        )),
        Some(true) => Ok(()),
    }
}

/// `PATCH /api/participation/proposals/{id}` with `X-Edit-Token`.
pub async fn edit(a: Authoring, body: Bytes) -> AppResult<Response> {
    check_author(&a).await?;
    let (pool, id) = (&a.pool, a.id);
    let b: EditBody = parse(
        &body,
        "any of \"title\", \"body\", \"address\", \"theme\", \"geometry\"",
    )?;
    let geometry = match &b.geometry {
        Some(g) => Some(input::geometry(g, &["Point", "Polygon", "MultiPolygon"])?),
        None => None,
    };
    let theme = b.theme.map(|t| input::theme(Some(t))).transpose()?;
    let title = input::text(b.title, "title", "title")?;
    let text = input::text(b.body, "body", "description")?;
    let address = input::text(b.address, "address", "label")?;
    let done: Option<i64> = sqlx::query_scalar(include_str!("sql/proposal_edit.sql"))
        .bind(id)
        .bind(theme)
        .bind(title)
        .bind(text)
        .bind(address)
        .bind(geometry)
        .fetch_optional(pool)
        .await
        .map_err(refusal)?;
    if done.is_none() {
        return Err(AppError::Conflict(
            "the proposal was answered, withdrawn or merged: it can no longer be edited / لم يعد بالإمكان تعديل المقترح".into(),
        ));
    }
    let receipt: String = sqlx::query_scalar(include_str!("sql/proposal_tags.sql"))
        .bind(id)
        .fetch_one(pool)
        .await
        .map_err(db)?;
    Ok(json_text(StatusCode::OK, receipt))
}

/// `POST /api/participation/proposals/{id}/withdraw` with `X-Edit-Token`.
pub async fn withdraw(a: Authoring) -> AppResult<Response> {
    check_author(&a).await?;
    let (pool, id) = (&a.pool, a.id);
    sqlx::query(include_str!("sql/transition.sql"))
        .bind(id)
        .bind("withdrawn")
        .bind("author")
        .bind("author")
        .bind(None::<String>)
        .bind(None::<i64>)
        .bind(true)
        .execute(pool)
        .await
        .map_err(db)?;
    Ok(axum::Json(json!({"id": id, "state": "withdrawn"})).into_response())
}
