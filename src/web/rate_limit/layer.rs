//! The tower layer that applies the [`RateLimiter`] to anonymous writes.
use std::{
    convert::Infallible,
    future::Future,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
};

use axum::{
    body::Body,
    extract::{FromRequestParts, MatchedPath},
    http::{Method, Request},
    response::{IntoResponse, Response},
};

use super::{client_ip, RateLimiter};
use crate::{
    auth::{Caller, KeyStore},
    error::AppError,
};

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// What the layer reads: the buckets, the keys (a caller with a key is exempt) and whether to
/// trust `X-Forwarded-For`.
#[derive(Clone)]
struct Limits {
    limiter: Arc<RateLimiter>,
    keys: KeyStore,
    trust_forwarded_for: bool,
}

/// The layer: wrap routes with `route_layer(RateLimitLayer::writes(…))`.
#[derive(Clone)]
pub struct RateLimitLayer {
    limits: Limits,
}

impl RateLimitLayer {
    /// Limit anonymous requests with a non-safe method (POST, PUT, PATCH, DELETE…).
    pub fn writes(limiter: Arc<RateLimiter>, keys: KeyStore, trust_forwarded_for: bool) -> Self {
        Self {
            limits: Limits {
                limiter,
                keys,
                trust_forwarded_for,
            },
        }
    }
}

impl<S: Clone> tower::Layer<S> for RateLimitLayer {
    type Service = RateLimited<S>;
    fn layer(&self, inner: S) -> Self::Service {
        RateLimited {
            inner,
            limits: self.limits.clone(),
        }
    }
}

#[derive(Clone)]
pub struct RateLimited<S> {
    inner: S,
    limits: Limits,
}

impl<S> tower::Service<Request<Body>> for RateLimited<S>
where
    S: tower::Service<Request<Body>, Response = Response, Error = Infallible>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<Body>) -> Self::Future {
        // the clone is ready (route services always are); keep the polled one for the next call
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        if !self.limits.limiter.enabled() || is_safe(req.method()) {
            return Box::pin(inner.call(req));
        }
        let limits = self.limits.clone();
        Box::pin(async move {
            let (mut parts, body) = req.into_parts();
            match Caller::from_request_parts(&mut parts, &limits.keys).await {
                Ok(c) if c.is_anonymous() => {}
                Ok(_) => return inner.call(Request::from_parts(parts, body)).await,
                // a bad key is refused whatever the budget: it can write nothing
                Err(e) => return Ok(e.into_response()),
            }
            if let Some(ip) = client_ip(&parts, limits.trust_forwarded_for) {
                if let Err(retry_after) = limits.limiter.check(ip) {
                    let route = parts
                        .extensions
                        .get::<MatchedPath>()
                        .map(|p| p.as_str().to_string())
                        .unwrap_or_else(|| "unmatched".into());
                    metrics::counter!("mokhattat_rate_limited_total", "route" => route)
                        .increment(1);
                    tracing::info!(%ip, retry_after, "rate limited");
                    return Ok(AppError::TooManyRequests { retry_after }.into_response());
                }
            }
            inner.call(Request::from_parts(parts, body)).await
        })
    }
}
