//! OGC API – Features, Parts 1 to 4: collections, items, CRS, CQL2 filtering, transactions.
//!
//! Routes: `/conformance`, `/api`, `/api.html`, `/collections`, `/collections/{id}`,
//! `/collections/{id}/items` (GET, POST, OPTIONS), `/collections/{id}/items/{fid}` (GET, PUT, PATCH,
//! DELETE, OPTIONS), `/collections/{id}/queryables`. The landing page `/` lives in `web`.
pub mod error;
pub mod read;
pub mod render;
pub mod scope;
pub mod write;

use axum::{routing::get, Router};

use crate::state::AppState;
use read::{cache, collections};
use render::openapi;

pub use error::{FResult, FeaturesError};

pub use scope::{project_visibility, Who};

/// The old path of [`render::url::urlencode`].
pub mod items {
    // kept for tests until the test helper lands
    pub use super::render::url::urlencode;
}
// kept for tests until the test helper lands (tests/fuzz.rs reads `features::params::ITEMS_PARAMS`)
pub use read::params;

pub fn routes(state: &AppState) -> Router<AppState> {
    let cache = cache::FeatureCache::new(&state.pool, state.settings.features_cache_bytes);
    Router::new()
        .route("/conformance", get(collections::conformance))
        .route("/api", get(openapi::api))
        .route("/api.html", get(openapi::api_html))
        .route("/collections", get(collections::list))
        .route("/collections/{id}", get(collections::one))
        .route("/collections/{id}/queryables", get(collections::queryables))
        .route(
            "/collections/{id}/items",
            get(read::items::items)
                .post(write::create)
                .options(write::options_items),
        )
        .route(
            "/collections/{id}/items/{fid}",
            get(read::items::item)
                .put(write::replace)
                .patch(write::update)
                .delete(write::delete)
                .options(write::options_item),
        )
        .route_layer(axum::middleware::from_fn_with_state(cache, cache::layer))
}

/// Look a collection up by id.
pub fn collection(id: &str) -> FResult<&'static crate::layers::Layer> {
    crate::layers::find(id).ok_or_else(|| FeaturesError::NoCollection(id.to_string()))
}
