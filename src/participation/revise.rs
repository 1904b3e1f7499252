//! A plan's versions: revising an adopted plan makes a new draft version (stages and lines copied,
//! `previous_id` to the version it revises, `next_id` on the old one); the rule is the database
//! function `mk_plan_revise`.
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};

use super::{error::db, json_text, plans};
use crate::{auth::Caller, error::AppResult, state::AppState};

/// `POST /api/participation/plans/{id}/revisions` — 201 with the new version; 409 when the plan is
/// not adopted yet or already has a later version.
pub async fn revise(
    State(st): State<AppState>,
    Path(id): Path<i64>,
    caller: Caller,
) -> AppResult<Response> {
    plans::writer_of(&st.pool, &caller, id).await?;
    let new_id: i64 = sqlx::query_scalar(include_str!("sql/plan_revise.sql"))
        .bind(id)
        .bind(caller.author())
        .fetch_one(&st.pool)
        .await
        .map_err(db)?;
    Ok(json_text(
        StatusCode::CREATED,
        plans::plan_json(&st.pool, new_id).await?,
    ))
}
