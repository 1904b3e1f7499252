//! A plan's versions: revising an adopted plan makes a new draft version (stages and lines copied,
//! `previous_id` to the version it revises, `next_id` on the old one); the rule is the database
//! function `mk_plan_revise`.
use axum::{http::StatusCode, response::Response};

use super::{
    error::db,
    extract::{Acting, Plan},
    json_text, plans,
};
use crate::error::AppResult;

/// `POST /api/participation/plans/{id}/revisions` — 201 with the new version; 409 when the plan is
/// not adopted yet or already has a later version.
pub async fn revise(a: Acting<Plan>) -> AppResult<Response> {
    let new_id: i64 = sqlx::query_scalar(include_str!("sql/plan_revise.sql"))
        .bind(a.id)
        .bind(a.caller.author())
        .fetch_one(&a.pool)
        .await
        .map_err(db)?;
    Ok(json_text(
        StatusCode::CREATED,
        plans::plan_json(&a.pool, new_id).await?,
    ))
}
