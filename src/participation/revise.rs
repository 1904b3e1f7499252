//! A plan's versions: revising an adopted plan makes a new draft version (stages and lines copied,
//! `previous_id` to the version it revises, `next_id` on the old one); the rule is the database
//! function `mk_plan_revise`.
use axum::{http::StatusCode, response::Response};

use super::{error::db, extract::Keyed, json_text, plans};
use crate::error::AppResult;

/// `POST /api/participation/plans/{id}/revisions` — 201 with the new version; 409 when the plan is
/// not adopted yet or already has a later version.
pub async fn revise(k: Keyed) -> AppResult<Response> {
    plans::writer_of(&k.pool, &k.who, k.id).await?;
    let new_id: i64 = sqlx::query_scalar(include_str!("sql/plan_revise.sql"))
        .bind(k.id)
        .bind(k.who.author())
        .fetch_one(&k.pool)
        .await
        .map_err(db)?;
    Ok(json_text(
        StatusCode::CREATED,
        plans::plan_json(&k.pool, new_id).await?,
    ))
}
