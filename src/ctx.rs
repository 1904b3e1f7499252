//! The request context handlers share (a leaf: it knows the pool and the settings, nothing else).
use std::sync::Arc;

use axum::extract::{FromRef, FromRequestParts};
use sqlx::PgPool;

use crate::{auth::KeyState, config::Settings, db::replicas::ReadFrom};

/// What a capability's handlers read from the application's state: the pool and the settings, from
/// any router state that hands them out by `FromRef`, so capabilities never depend on `state`.
/// For a read (`GET`, `HEAD`) the pool is a caught-up read replica or the primary
/// (`db::replicas`); for anything else, the primary.
#[derive(Clone)]
pub struct Ctx {
    pub pool: PgPool,
    pub settings: Arc<Settings>,
}

/// A router state that hands out the pool and the settings (`FromRef`): what [`Ctx`] needs.
pub trait PoolState: Send + Sync {
    fn pool(&self) -> PgPool;
    fn settings(&self) -> Arc<Settings>;
}

impl<S: Send + Sync> PoolState for S
where
    PgPool: FromRef<S>,
    Arc<Settings>: FromRef<S>,
{
    fn pool(&self) -> PgPool {
        PgPool::from_ref(self)
    }

    fn settings(&self) -> Arc<Settings> {
        Arc::<Settings>::from_ref(self)
    }
}

/// The router state of a capability's routes: [`Ctx`] (pool, settings) and the `Caller` (keys).
pub trait CtxState: PoolState + KeyState + Clone + 'static {}

impl<S: PoolState + KeyState + Clone + 'static> CtxState for S {}

impl<S: PoolState> FromRequestParts<S> for Ctx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        // a read takes its pool now, when its handler starts (after any cache noted its generation)
        let pool = match parts.extensions.get::<ReadFrom>() {
            Some(ReadFrom(reads)) => reads.pick(),
            None => state.pool(),
        };
        Ok(Self {
            pool,
            settings: state.settings(),
        })
    }
}
