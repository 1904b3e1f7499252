//! What participants do with a public proposal: support it (verified with a meeting's participant
//! code), comment on it (threaded), report it. Each answers with the participant token/cookie when
//! the server issued one.
use axum::{
    body::Bytes,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde_json::json;

use super::extract::Participating;
use super::{
    error::db,
    input::{self, parse, CommentBody, ReasonBody, SupportBody},
    json_doc,
    moderation::Target,
    participant,
    proposals::{open_state, with_participant},
};
use crate::{error::AppError, error::AppResult, state::AppState};

/// `POST /api/participation/proposals/{id}/supports` (body optional: `{"code": "…"}`).
pub async fn support(a: Participating, body: Bytes) -> AppResult<Response> {
    let (id, p, pool) = (a.id, &a.who, &a.pool);
    let b: SupportBody = if body.iter().all(u8::is_ascii_whitespace) {
        SupportBody { code: None }
    } else {
        parse(
            &body,
            "optionally \"code\" (a participant code handed out at a meeting)",
        )?
    };
    let state = open_state(pool, id).await?;
    if !matches!(state.as_str(), "published" | "evaluating") {
        return Err(AppError::Conflict(format!(
            "a proposal in state {state} cannot be supported any more"
        )));
    }
    let mut tx = pool.begin().await.map_err(db)?;
    let meeting: Option<i64> = match input::text(b.code, "code", "code")? {
        Some(code) => Some(
            sqlx::query_scalar(include_str!("sql/meeting_code_claim.sql"))
                .bind(participant::sha256(&code))
                .bind(&p.hash)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?
                .ok_or_else(|| {
                    AppError::Forbidden(
                        "unknown participant code, or a code already used by another participant / رمز المشاركة غير صالح".into(),
                    )
                })?,
        ),
        None => None,
    };
    let verified: Option<bool> = sqlx::query_scalar(include_str!("sql/support_insert.sql"))
        .bind(id)
        .bind(&p.hash)
        .bind(meeting)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
    let Some(verified) = verified else {
        return Err(AppError::Conflict(
            "this participant already supports the proposal / سبق لك دعم هذا المقترح".into(),
        ));
    };
    tx.commit().await.map_err(db)?;
    Ok(with_participant(
        StatusCode::CREATED,
        json!({"proposal_id": id, "verified": verified}),
        p,
    ))
}

/// `POST /api/participation/proposals/{id}/comments`
pub async fn comment(a: Participating, body: Bytes) -> AppResult<Response> {
    let (id, p) = (a.id, &a.who);
    let b: CommentBody = parse(&body, "\"body\" and optionally \"parent_id\"")?;
    if b.website.as_deref().is_some_and(|w| !w.trim().is_empty()) {
        return Ok((
            StatusCode::ACCEPTED,
            axum::Json(json!({"status": "received"})),
        )
            .into_response());
    }
    let text = input::required(b.body, "body", "note")?;
    let cid: Option<i64> = sqlx::query_scalar(include_str!("sql/comment_insert.sql"))
        .bind(id)
        .bind(b.parent_id)
        .bind(text)
        .bind(&p.hash)
        .fetch_optional(&a.pool)
        .await
        .map_err(db)?;
    let cid = cid.ok_or_else(|| {
        AppError::not_found(format!(
            "no public proposal {id}, or no comment {:?} in it",
            b.parent_id
        ))
    })?;
    Ok(with_participant(
        StatusCode::CREATED,
        json!({"id": cid, "proposal_id": id}),
        p,
    ))
}

/// `GET /api/participation/proposals/{id}/comments`
pub async fn comments(State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<Response> {
    open_state(&st.pool, id).await?;
    json_doc(
        &st.pool,
        sqlx::query_scalar(include_str!("sql/comment_list.sql")).bind(id),
    )
    .await
}

/// `POST /api/participation/proposals/{id}/reports` — `{"reason": "spam|offensive|off_topic"}`.
pub async fn report(a: Participating, body: Bytes) -> AppResult<Response> {
    file_report(&a, Target::Proposal, &body).await
}

/// `POST /api/participation/comments/{id}/reports` — the same, on a public comment.
pub async fn report_comment(a: Participating, body: Bytes) -> AppResult<Response> {
    file_report(&a, Target::Comment, &body).await
}

/// One report per participant on a public proposal or comment; the database hides the target at
/// its commune's threshold (the trigger function mk_report_hide).
async fn file_report(a: &Participating, target: Target, body: &Bytes) -> AppResult<Response> {
    let (id, p) = (a.id, &a.who);
    let b: ReasonBody = parse(body, "\"reason\": spam, offensive or off_topic")?;
    let reason = input::report_reason(b.reason)?;
    let (found, inserted): (bool, bool) = sqlx::query_as(include_str!("sql/report_insert.sql"))
        .bind(id)
        .bind(&p.hash)
        .bind(reason)
        .bind(target.name())
        .fetch_one(&a.pool)
        .await
        .map_err(db)?;
    let what = target.name();
    if !found {
        return Err(AppError::not_found(format!("no public {what} {id}")));
    }
    if !inserted {
        return Err(AppError::Conflict(format!(
            "this participant already reported the {what} / سبق لك الإبلاغ عن هذا المحتوى"
        )));
    }
    let mut answer = json!({"id": id, "reported": true});
    answer[format!("{what}_id")] = json!(id);
    Ok(with_participant(StatusCode::CREATED, answer, p))
}
