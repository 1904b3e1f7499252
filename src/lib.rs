//! Mokhattat (مخطط): a spatial server for territorial planning in Tunisia.
//!
//! The crate is laid out by capability; each folder owns its routes, handlers, SQL and types.
pub mod asof;
pub mod auth;
pub mod config;
pub mod cql;
pub mod ctx;
pub mod db;
pub mod disclosure;
pub mod error;
pub mod features;
pub mod guard;
pub mod html;
pub mod iati;
pub mod import;
pub mod indicators;
pub mod landuse;
pub mod layers;
pub mod offline;
pub mod pages;
pub mod participation;
pub mod projects;
pub mod routes;
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
        .merge(features::routes(state.features_cache.clone()))
        .merge(territory::routes())
        .merge(auth::routes())
        .merge(projects::routes())
        .merge(landuse::routes())
        .merge(indicators::routes())
        .merge(participation::router())
        .merge(iati::routes())
        .merge(offline::routes(offline::PackCache::new(&state.reads)))
        .merge(tiles::routes())
        .merge(web::map::routes())
        .merge(pages::routes())
        // every write route, present and future, limits anonymous callers per IP (docs/limits.md)
        .route_layer(web::rate_limit::RateLimitLayer::writes(
            state.rate_limiter.clone(),
            state.keys.clone(),
            state.settings.trust_forwarded_for,
        ))
        .fallback(|| async {
            error::AppError::not_found("no such resource; see / for what this server offers")
        });
    let (settings, keys, reads) = (
        state.settings.clone(),
        state.keys.clone(),
        state.reads.clone(),
    );
    // one stack, one `layer` call: each call boxes the routes anew (web::middleware::apply)
    web::middleware::apply(router.with_state(state), &settings, keys, reads)
}
