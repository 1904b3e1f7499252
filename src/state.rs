//! Shared state handed to every handler.
use std::sync::Arc;

use sqlx::PgPool;

use crate::config::Settings;

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub settings: Arc<Settings>,
    pub metrics: crate::web::metrics::Metrics,
}

impl AppState {
    pub fn new(pool: PgPool, settings: Settings) -> Self {
        Self {
            pool,
            settings: Arc::new(settings),
            metrics: crate::web::metrics::Metrics::global(),
        }
    }
}
