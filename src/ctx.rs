//! The request context handlers share (a leaf: it knows the pool and the settings, nothing else).
use std::sync::Arc;

use axum::extract::{FromRef, FromRequestParts};
use sqlx::PgPool;

use crate::{config::Settings, db::replicas::ReadFrom};

/// What a capability's handlers read from the application's state: the pool and the settings, from
/// any router state that hands them out by `FromRef`, so capabilities never depend on `state`.
/// For a read (`GET`, `HEAD`) the pool is a caught-up read replica or the primary
/// (`db::replicas`); for anything else, the primary.
#[derive(Clone)]
pub struct Ctx {
    pub pool: PgPool,
    pub settings: Arc<Settings>,
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx
where
    PgPool: FromRef<S>,
    Arc<Settings>: FromRef<S>,
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        // a read takes its pool now, when its handler starts (after any cache noted its generation)
        let pool = match parts.extensions.get::<ReadFrom>() {
            Some(ReadFrom(reads)) => reads.pick(),
            None => PgPool::from_ref(state),
        };
        Ok(Self {
            pool,
            settings: Arc::<Settings>::from_ref(state),
        })
    }
}
