//! The request context handlers share (a leaf: it knows the pool and the settings, nothing else).
use std::sync::Arc;

use axum::extract::{FromRef, FromRequestParts};
use sqlx::PgPool;

use crate::config::Settings;

/// What a capability's handlers read from the application's state: the pool and the settings, from
/// any router state that hands them out by `FromRef`, so capabilities never depend on `state`.
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
        _: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self {
            pool: PgPool::from_ref(state),
            settings: Arc::<Settings>::from_ref(state),
        })
    }
}
