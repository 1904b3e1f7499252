//! Location disclosure levels (issue 13, item 3; docs/disclosure.md): the one list of valid
//! values, and `PUT /api/projects/{code}/disclosure` that sets the level of a project's locations.
//!
//! The masking itself is in the database (`mk_location_public_geom`, `mk_location_geom`): every
//! output reads it; this module only validates and writes the level.
use axum::{body::Bytes, extract::Path, http::StatusCode, response::Response};

use super::{
    access::Target,
    error::{PResult, ProjectsError},
    input::parse_body,
    json_text, rules,
};
use crate::{auth::Caller, ctx::Ctx, error::AppResult, guard::request_body};

pub use crate::disclosure::{parse, HELP, LEVELS};

request_body! {
    /// `PUT /api/projects/{code}/disclosure`: `{"disclosure": "unit", "locations": ["src-1", …]}`
    /// (`locations` omitted: every location of the project).
    pub struct DisclosureBody {
        pub disclosure: String,
        pub locations: Option<Vec<String>>,
    }
}

pub const FIELDS: &str = "\"disclosure\" (exact, displaced, unit, withheld) and optionally \
     \"locations\" (the source ids of the locations; default: all)";

/// The handler: a key, a valid body, then [`set`] (retried once if it lost a race).
pub async fn put(s: Ctx, Path(code): Path<String>, c: Caller, b: Bytes) -> AppResult<Response> {
    c.require_key()?;
    let body: DisclosureBody = parse_body(&b, FIELDS)?;
    let out = rules::retry_once(|| set(Target::new(&s.pool, &code, &c), &body)).await?;
    Ok(json_text(StatusCode::OK, out))
}

/// Set the level; returns `{"project", "locations": [{"source_id", "disclosure"}]}`. Editors of
/// the project only (docs/write-rules.md); an unknown location source id is a 404.
pub async fn set(w: Target<'_>, body: &DisclosureBody) -> PResult<String> {
    let level = parse(&body.disclosure).map_err(ProjectsError::Invalid)?;
    let (mut tx, project) = w.begin().await?;
    let (out, missing): (String, Option<String>) =
        sqlx::query_as(include_str!("sql/disclosure_set.sql"))
            .bind(project.id)
            .bind(level)
            .bind(body.locations.clone())
            .fetch_one(&mut *tx)
            .await?;
    if let Some(m) = missing {
        return Err(ProjectsError::Missing(format!(
            "project {} has no location {m}; GET /api/projects/{}/context lists them",
            project.code, project.code
        )));
    }
    rules::commit(tx).await?;
    tracing::info!(project = project.id, level, "location disclosure changed");
    Ok(out)
}
