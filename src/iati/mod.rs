//! IATI 2.03: activity XML out (`GET /api/iati/activities.xml`, `mokhattat export iati`) and in
//! (`POST /api/iati/import`, `mokhattat import FILE.xml --as iati`). See docs/iati.md.
mod activity;
pub mod cli;
mod error;
mod export;
mod import;
mod location;
mod read;

use axum::{
    body::Bytes,
    extract::Query,
    http::header,
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use serde::Deserialize;

pub use error::IatiError;
pub use export::{export, Filter};
pub use import::{import_file, import_xml, ImportReport};

use crate::{auth::Caller, ctx::Ctx, error::AppResult};

/// Largest IATI file accepted (bytes), by the endpoint and the command line.
pub const MAX_FILE_BYTES: usize = 32 * 1024 * 1024;

pub fn routes<S: crate::ctx::CtxState>() -> Router<S> {
    Router::new()
        .route("/api/iati/activities.xml", get(activities))
        .route(
            "/api/iati/import",
            post(upload).layer(axum::extract::DefaultBodyLimit::max(MAX_FILE_BYTES)),
        )
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    project: Option<String>,
    funder: Option<String>,
    municipality: Option<String>,
    api_key: Option<String>,
}

async fn activities(
    state: Ctx,
    caller: Caller,
    q: Result<Query<Params>, axum::extract::rejection::QueryRejection>,
) -> AppResult<Response> {
    let Query(p) = q.map_err(|e| {
        IatiError::Invalid(format!(
            "{}; parameters: project, funder, municipality",
            e.body_text()
        ))
    })?;
    let _ = p.api_key;
    let filter = Filter::new(p.project, p.funder, p.municipality);
    let xml = export(&state.pool, &caller.visibility(), &filter).await?;
    Ok((
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        xml,
    )
        .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct UploadParams {
    partner: Option<String>,
    dry_run: Option<bool>,
}

async fn upload(
    state: Ctx,
    caller: Caller,
    q: Result<Query<UploadParams>, axum::extract::rejection::QueryRejection>,
    body: Bytes,
) -> AppResult<Json<ImportReport>> {
    caller.require_admin().map_err(IatiError::from)?;
    let Query(p) = q.map_err(|e| {
        IatiError::Invalid(format!("{}; parameters: partner, dry_run", e.body_text()))
    })?;
    let text = std::str::from_utf8(&body)
        .map_err(|_| IatiError::Invalid("the file is not UTF-8 text".into()))?;
    let report = import_xml(
        &state.pool,
        text,
        "upload",
        p.partner.as_deref(),
        p.dry_run.unwrap_or(false),
    )
    .await?;
    Ok(Json(report))
}
