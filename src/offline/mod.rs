//! Open data and offline use (issue 13, items 4 and 5; docs/offline.md):
//! - open-data packs per commune and for the country (`GET /api/packs/{code}.zip`,
//!   `mokhattat export pack`), built on request and kept until the data changes (`cache`);
//! - offline tile archives, MBTiles and PMTiles (`mokhattat export tiles`), with their style.
mod archive;
pub mod area;
mod build;
mod cache;
pub mod cli;
mod doc;
mod occupied;
pub mod pack;
mod render;
pub mod tiles;

use std::sync::Arc;

use axum::{
    extract::Path,
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};

pub use cache::PackCache;

use crate::{ctx::Ctx, error::AppResult};

pub fn routes<S>(packs: Arc<PackCache>) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    sqlx::PgPool: axum::extract::FromRef<S>,
    Arc<crate::config::Settings>: axum::extract::FromRef<S>,
{
    Router::new()
        .route("/api/packs/{file}", get(pack_zip))
        .layer(axum::Extension(packs))
}

/// `GET /api/packs/{code}.zip`: the public pack (a key changes nothing: packs are for publication).
async fn pack_zip(
    axum::Extension(packs): axum::Extension<Arc<PackCache>>,
    state: Ctx,
    Path(file): Path<String>,
) -> AppResult<Response> {
    let code = file.strip_suffix(".zip").ok_or_else(|| {
        crate::error::AppError::not_found(format!(
            "/api/packs/{file}: packs are zip files, e.g. /api/packs/1111.zip or /api/packs/TN.zip"
        ))
    })?;
    let area = area::find(&state.pool, code).await?;
    let bytes = match packs.get(&area.code) {
        Some(b) => b,
        None => {
            // built in a task of its own: when the request times out (the national pack can take
            // longer than --request-timeout), the build goes on and is kept for the next request
            let (pool, area, packs) = (state.pool.clone(), area.clone(), packs.clone());
            tokio::spawn(async move {
                let generation = packs.generation();
                let b = Arc::new(build::build(&pool, &area, &|_, _| {}).await?);
                packs.keep(&area.code, generation, b.clone());
                Ok::<_, crate::error::AppError>(b)
            })
            .await
            .map_err(|e| crate::error::AppError::internal("pack task", e))??
        }
    };
    let disposition = format!("attachment; filename=\"mokhattat-{}.zip\"", area.code);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/zip"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .unwrap_or(HeaderValue::from_static("attachment")),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, no-cache"),
            ),
        ],
        bytes.as_ref().clone(),
    )
        .into_response())
}
