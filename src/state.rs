//! The composition root: the long-lived services every request shares, started in one place
//! ([`AppState::start`], which the server and the tests call) and handed to handlers, extractors and
//! layers piece by piece through axum's `FromRef`: a handler names what it needs (`State<PgPool>`,
//! `State<Arc<Settings>>`, `State<Arc<TileService>>`…) and an extractor such as [`Caller`] needs only
//! the [`KeyStore`], so the services never depend back on this module.
//!
//! [`Caller`]: crate::auth::Caller
use std::sync::Arc;

use axum::extract::FromRef;
use sqlx::PgPool;

use crate::{
    auth::KeyStore,
    config::Settings,
    db::replicas::Reads,
    features::FeatureCache,
    territory::UnitIndex,
    tiles::TileService,
    web::{metrics::Metrics, rate_limit::RateLimiter},
};

#[derive(Clone, FromRef)]
pub struct AppState {
    /// The primary: writes, imports, notifications.
    pub pool: PgPool,
    /// Where reads go: caught-up replicas, else the primary.
    pub reads: Arc<Reads>,
    pub settings: Arc<Settings>,
    /// API keys, for the [`crate::auth::Caller`] extractor.
    pub keys: KeyStore,
    pub metrics: Metrics,
    /// Per-IP limit on anonymous writes (`web::rate_limit`).
    pub rate_limiter: Arc<RateLimiter>,
    /// Tiles: the cache and its change listener (`mokhattat_tiles`), glyphs, sprites.
    pub tiles: Arc<TileService>,
    /// Anonymous OGC API – Features answers, with their change listener (`mokhattat_features`).
    pub features_cache: Arc<FeatureCache>,
    /// The current units in memory for `/api/locate`, with their change listener.
    pub units: Arc<UnitIndex>,
}

impl AppState {
    /// Starts the services (and their database change listeners) over `pool`: call once per
    /// application, inside the Tokio runtime.
    pub fn start(pool: PgPool, settings: Settings) -> Self {
        Self::start_with_replicas(pool, Vec::new(), settings)
    }

    /// [`AppState::start`] with read replicas (`DATABASE_READ_URL`): reads go there when they have
    /// replayed far enough (`db::replicas`), everything else to `pool`, the primary.
    pub fn start_with_replicas(pool: PgPool, replicas: Vec<PgPool>, settings: Settings) -> Self {
        let reads = Reads::new(pool.clone(), replicas);
        Self {
            keys: KeyStore::new(pool.clone()),
            rate_limiter: Arc::new(RateLimiter::new(settings.rate_limit)),
            metrics: Metrics::global(),
            tiles: TileService::new(reads.clone(), settings.tile_cache_bytes),
            units: UnitIndex::new(&reads),
            features_cache: FeatureCache::new(&reads, settings.features_cache_bytes),
            settings: Arc::new(settings),
            reads,
            pool,
        }
    }
}
