//! Mokhattat (مخطط): a spatial server for territorial planning in Tunisia.
//!
//! The crate is laid out by capability; each folder owns its routes, handlers, SQL and types.
pub mod asof;
pub mod auth;
pub mod config;
pub mod cql;
pub mod db;
pub mod error;
pub mod features;
pub mod guard;
pub mod iati;
pub mod import;
pub mod indicators;
pub mod landuse;
pub mod projects;
pub mod state;
pub mod territory;
pub mod tiles;
pub mod web;

use axum::Router;

pub use state::AppState;

/// The whole HTTP application, as the server runs it and as tests drive it.
pub fn app(state: AppState) -> Router {
    let router = Router::new()
        .merge(web::routes())
        .merge(features::routes(&state))
        .merge(territory::routes(&state))
        .merge(auth::routes())
        .merge(projects::routes())
        .merge(landuse::routes())
        .merge(indicators::routes())
        .merge(iati::routes())
        .merge(tiles::routes(&state))
        .merge(web::map::routes())
        // every write route, present and future, limits anonymous callers per IP (docs/limits.md)
        .route_layer(web::rate_limit::RateLimitLayer::writes(&state))
        .fallback(|| async {
            error::AppError::not_found("no such resource; see / for what this server offers")
        });
    let settings = state.settings.clone();
    let router = router.layer(axum::middleware::from_fn_with_state(
        state.clone(),
        auth::authenticate_layer,
    ));
    web::middleware::apply(router.with_state(state), &settings)
}
