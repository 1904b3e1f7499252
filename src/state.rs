//! The composition root: the long-lived services every request shares, started in one place
//! ([`AppState::start`], which the server and the tests call) and handed to handlers, extractors and
//! layers piece by piece through axum's `FromRef`: a handler names what it needs (`State<PgPool>`,
//! `State<Arc<Settings>>`, `State<Arc<TileService>>`…) and an extractor such as [`Caller`] needs only
//! the [`KeyStore`], so the services never depend back on this module.
//!
//! The state is one `Arc` ([`AppState`] derefs to [`Services`]): axum clones the router state for
//! every request (twice on the way to a handler), and a struct of a dozen `Arc`s cost a dozen
//! atomic increments and decrements each time (docs/scale.md, "Hot paths").
//!
//! [`Caller`]: crate::auth::Caller
use std::{ops::Deref, sync::Arc};

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

/// The services of one application, shared: cloning it is one atomic increment.
#[derive(Clone)]
pub struct AppState(Arc<Services>);

impl Deref for AppState {
    type Target = Services;
    fn deref(&self) -> &Services {
        &self.0
    }
}

/// What [`AppState`] hands out by `FromRef`: each part is cloned only when an extractor asks for it.
macro_rules! hand_out {
    ($($field:ident: $ty:ty),* $(,)?) => {
        $(impl FromRef<AppState> for $ty {
            fn from_ref(state: &AppState) -> Self {
                state.0.$field.clone()
            }
        })*
    };
}

hand_out!(
    pool: PgPool,
    reads: Arc<Reads>,
    settings: Arc<Settings>,
    keys: KeyStore,
    metrics: Metrics,
    rate_limiter: Arc<RateLimiter>,
    tiles: Arc<TileService>,
    features_cache: Arc<FeatureCache>,
    units: Arc<UnitIndex>,
);

pub struct Services {
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
        Self(Arc::new(Services {
            keys: KeyStore::new(pool.clone()),
            rate_limiter: Arc::new(RateLimiter::new(settings.rate_limit)),
            metrics: Metrics::global(),
            tiles: TileService::new(reads.clone(), settings.tile_cache_bytes),
            units: UnitIndex::new(&reads),
            features_cache: FeatureCache::new(&reads, settings.features_cache_bytes),
            settings: Arc::new(settings),
            reads,
            pool,
        }))
    }
}
