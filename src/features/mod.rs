//! OGC API – Features, Parts 1 to 4: collections, items, CRS, CQL2 filtering, transactions.
//!
//! Routes: `/conformance`, `/api`, `/api.html`, `/collections`, `/collections/{id}`,
//! `/collections/{id}/items` (GET, POST, OPTIONS), `/collections/{id}/items/{fid}` (GET, PUT, PATCH,
//! DELETE, OPTIONS), `/collections/{id}/queryables`. The landing page `/` lives in `web`.
pub mod error;
/// The OpenAPI document of the whole server (describes what read and write serve).
pub mod openapi;
pub mod read;
pub mod render;
pub mod scope;
pub mod write;

use axum::{routing::get, Router};

use crate::routes::route_table;

use std::sync::Arc;

pub use crate::ctx::Ctx;
use read::collections;

pub use read::cache::FeatureCache;

pub use error::{FResult, FeaturesError};

pub use scope::project_visibility;

/// The OGC API – Features routes, answered through `cache` (started with the application state).
pub fn routes<S: crate::ctx::CtxState>(cache: Arc<FeatureCache>) -> Router<S> {
    let router: Router<S> = route_table! {
        "/conformance" => get(collections::conformance),
        "/api" => get(openapi::api),
        "/api.html" => get(openapi::api_html),
        "/collections" => get(collections::list),
        "/collections/{id}" => get(collections::one),
        "/collections/{id}/queryables" => get(collections::queryables),
        "/collections/{id}/items" => get(read::items::items)
            .post(write::create)
            .options(write::options_items),
        "/collections/{id}/items/{fid}" => get(read::items::item)
            .put(write::put_or_patch)
            .patch(write::put_or_patch)
            .delete(write::delete)
            .options(write::options_item),
    };
    router.route_layer(axum::middleware::from_fn_with_state(
        cache,
        read::cache::layer,
    ))
}

/// Look a collection up by id.
pub fn collection(id: &str) -> FResult<&'static crate::layers::Layer> {
    crate::layers::find(id).ok_or_else(|| FeaturesError::NoCollection(id.to_string()))
}
