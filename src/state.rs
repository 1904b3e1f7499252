//! Shared state handed to every handler.
use std::sync::Arc;

use sqlx::PgPool;

use crate::config::Settings;

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub settings: Arc<Settings>,
    pub metrics: crate::web::metrics::Metrics,
    /// Per-IP limit on anonymous writes (`web::rate_limit`).
    pub rate_limiter: Arc<crate::web::rate_limit::RateLimiter>,
}

impl AppState {
    pub fn new(pool: PgPool, settings: Settings) -> Self {
        Self {
            pool,
            rate_limiter: Arc::new(crate::web::rate_limit::RateLimiter::new(
                settings.rate_limit,
            )),
            settings: Arc::new(settings),
            metrics: crate::web::metrics::Metrics::global(),
        }
    }
}
