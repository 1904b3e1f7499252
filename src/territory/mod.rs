//! Administrative units and hierarchies (gazetteer): locate, search, versions.
use axum::Router;

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
}
