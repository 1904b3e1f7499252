//! What waits for moderators, and how they reach an author. The queue lists a commune's proposals
//! and comments held back (moderate-first), hidden or reported, paged; the contact endpoint gives a
//! moderator the private name and contact of a proposal's author (`proposal_author`), logged with
//! who and why — the only path that reads them, and never public (`Cache-Control: no-store`).
use axum::{
    body::Bytes,
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};
use serde_json::json;

use super::extract::{query_string, Help, Keyed, Params};
use super::{error::db, input, input::parse, json_doc, moderation::moderator_of};
use crate::{auth::Caller, error::AppError, error::AppResult, state::AppState};

/// Largest page of the queue.
pub const QUEUE_MAX: i64 = 200;

query_string! {
    pub struct QueueQuery {
        pub municipality: Option<String>,
        /// pending, reported, hidden (default: all three).
        pub status: Option<String>,
        pub limit: Option<i64>,
        pub offset: Option<i64>,
    }
    help "use ?municipality=CODE, optionally &status=pending|reported|hidden, &limit=1-200 (default 50), &offset=N"
}

/// `GET /api/participation/moderation/queue?municipality=CODE[&status=…][&limit=…][&offset=…]`.
pub async fn queue(
    State(st): State<AppState>,
    caller: Caller,
    Params(q): Params<QueueQuery>,
) -> AppResult<Response> {
    let Some(code) = q.municipality else {
        return Err(AppError::bad_request(QueueQuery::HELP));
    };
    caller.require_key()?;
    caller.require_edit_municipality(&code)?;
    if q.status
        .as_deref()
        .is_some_and(|s| !["pending", "reported", "hidden"].contains(&s))
    {
        return Err(AppError::bad_request(
            "\"status\" is one of pending, reported, hidden",
        ));
    }
    let limit = q.limit.unwrap_or(50);
    let offset = q.offset.unwrap_or(0);
    if !(1..=QUEUE_MAX).contains(&limit) || !(0..=1_000_000).contains(&offset) {
        return Err(AppError::bad_request(
            "\"limit\" is 1 to 200 and \"offset\" 0 to 1000000",
        ));
    }
    json_doc(
        &st.pool,
        sqlx::query_scalar(include_str!("sql/moderation_queue.sql"))
            .bind(&code)
            .bind(q.status)
            .bind(limit)
            .bind(offset),
    )
    .await
}

/// `POST /api/participation/proposals/{id}/contact` — `{"reason"}`: the author's name and
/// contact, to a moderator of the proposal's commune; the reading is logged.
pub async fn contact(k: Keyed, body: Bytes) -> AppResult<Response> {
    let (id, caller) = (k.id, &k.who);
    moderator_of(&k.pool, caller, id).await?;
    let b: input::ReasonBody = parse(&body, "\"reason\": why the author is contacted")?;
    let reason = input::required(b.reason, "reason", "reason")?;
    let (name, contact): (Option<String>, Option<String>) =
        sqlx::query_as(include_str!("sql/proposal_contact.sql"))
            .bind(id)
            .bind(caller.author())
            .bind(reason)
            .fetch_one(&k.pool)
            .await
            .map_err(db)?;
    Ok((
        [(header::CACHE_CONTROL, "no-store")],
        axum::Json(json!({"id": id, "author_name": name, "author_contact": contact})),
    )
        .into_response())
}
