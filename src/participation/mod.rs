//! Participatory planning (issue 11; docs/participation.md): citizens' proposals on the map with
//! their automatic tags, supports, threaded comments, reports and moderation; plans with their four
//! stages and PAI lines; meetings; "you said / we did"; the open-data export of proposals.
//!
//! Public reads and anonymous writes (submit, support, comment, report) live under
//! `/api/participation/…`; anonymous writes are rate limited per IP by the application-wide layer
//! (`web::rate_limit`). Moderation, plans and meetings need a key of an admin or of a planner of
//! the commune. What the public may see of a proposal is decided once, by the database view
//! `proposal_public` (db/functions/participation/mk_proposal_public.sql): every public path reads it
//! and nothing else; the author's name and contact live in `proposal_author`, which no public path
//! reads.
pub mod error;
pub mod export;
pub mod extract;
pub mod input;
pub mod meetings;
pub mod moderation;
pub mod participant;
pub mod plans;
pub mod proposals;
pub mod queue;
pub mod reactions;
pub mod revise;
pub mod scenario;

use axum::{
    extract::{Path, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post, put},
    Router,
};

use crate::{routes::route_table, state::AppState};

/// Proposals, what participants do with them, their moderation and their open data; then plans,
/// meetings and scenarios.
pub fn router() -> Router<AppState> {
    route_table! {
        "/api/participation/proposals" => get(proposals::list).post(proposals::submit),
        "/api/participation/proposals/{id}" => get(proposals::get).patch(proposals::edit),
        "/api/participation/proposals/{id}/withdraw" => post(proposals::withdraw),
        "/api/participation/proposals/{id}/supports" => post(reactions::support),
        "/api/participation/proposals/{id}/comments" => get(reactions::comments).post(reactions::comment),
        "/api/participation/proposals/{id}/reports" => post(reactions::report),
        "/api/participation/proposals/{id}/similar" => get(proposals::similar),
        "/api/participation/proposals/{id}/answer" => post(moderation::answer),
        "/api/participation/proposals/{id}/moderation" => post(moderation::moderate),
        "/api/participation/proposals/{id}/project" => post(moderation::link_project),
        "/api/participation/proposals/{id}/contact" => post(queue::contact),
        "/api/participation/comments/{id}/reports" => post(reactions::report_comment),
        "/api/participation/comments/{id}/moderation" => post(moderation::moderate_comment),
        "/api/participation/moderation/queue" => get(queue::queue),
        "/api/participation/moderation/log" => get(moderation::log),
        "/api/participation/communes/{code}/settings" => get(moderation::settings).put(moderation::set_settings),
        "/api/participation/communes/{code}/you-said-we-did" => get(export::you_said_we_did),
        "/api/participation/projects/{code}/proposals" => get(export::project_proposals),
        "/api/participation/export/proposals.csv" => get(export::csv),
        "/api/participation/export/proposals.geojson" => get(export::geojson),
        "/api/participation/plans" => get(plans::list).post(plans::create),
        "/api/participation/plans/{id}" => get(plans::get).patch(plans::update),
        "/api/participation/plans/{id}/stages/{stage}" => put(plans::put_stage),
        "/api/participation/plans/{id}/lines" => post(plans::add_line),
        "/api/participation/plans/{id}/summary" => get(plans::summary),
        "/api/participation/plans/{id}/revisions" => post(revise::revise),
        "/api/participation/meetings" => get(meetings::list).post(meetings::create),
        "/api/participation/meetings/{id}" => get(meetings::get),
        "/api/participation/scenarios" => post(scenario::run),
    }
}

/// The one text `sql` builds for record `$1 = id`, or the error `missing` makes (a 404).
pub(crate) async fn text_of(
    pool: &sqlx::PgPool,
    sql: &'static str,
    id: i64,
    missing: impl FnOnce() -> crate::error::AppError,
) -> crate::error::AppResult<String> {
    let s: Option<String> = sqlx::query_scalar(sql)
        .bind(id)
        .fetch_optional(pool)
        .await
        .map_err(error::db)?;
    s.ok_or_else(missing)
}

/// A public JSON document built by `sql` for the commune or project `{code}` of the path.
pub(crate) async fn by_code(
    State(st): State<AppState>,
    Path(code): Path<String>,
    sql: &'static str,
) -> crate::error::AppResult<Response> {
    json_doc(&st.pool, sqlx::query_scalar(sql).bind(&code)).await
}

/// A statement that builds one JSON document (`SELECT …::text`), run and sent as is (200).
pub(crate) async fn json_doc(
    pool: &sqlx::PgPool,
    q: sqlx::query::QueryScalar<'_, sqlx::Postgres, String, sqlx::postgres::PgArguments>,
) -> crate::error::AppResult<Response> {
    let s = q.fetch_one(pool).await.map_err(error::db)?;
    Ok(json_text(StatusCode::OK, s))
}

/// A JSON document built by PostgreSQL, sent as is.
pub(crate) fn json_text(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}
