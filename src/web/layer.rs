//! Middleware as plain tower services, without `axum::middleware::from_fn`'s per-request cost.
//!
//! A `from_fn` middleware clones its inner service, boxes it into a `Next` and boxes its own future
//! on every request. A [`Middleware`] gets the inner service by `&mut`: its common case (an
//! anonymous `GET`, say) hands the request on and returns the inner future untouched (no clone, no
//! allocation); only a case that must await something before or after the inner call takes an
//! owned service ([`owned`]) and boxes its future. Measured on the cached-tile path in
//! docs/scale.md ("Hot paths").
use std::{
    convert::Infallible,
    task::{Context, Poll},
};

use axum::{extract::Request, response::Response};
use futures_util::future::{BoxFuture, Either};
use tower::{Layer, Service};

/// What a [`Middleware`] returns: the inner service's own future, or a boxed one of its own.
pub type Answer<F> = Either<F, BoxFuture<'static, Result<Response, Infallible>>>;

/// The inner service a [`Middleware`] wraps: the routes, always ready, never failing.
pub trait Inner:
    Service<Request, Response = Response, Error = Infallible, Future: Send + 'static>
    + Clone
    + Send
    + 'static
{
}

impl<S> Inner for S where
    S: Service<Request, Response = Response, Error = Infallible, Future: Send + 'static>
        + Clone
        + Send
        + 'static
{
}

/// One middleware: look at the request, then call `inner` (see the module documentation).
pub trait Middleware: Clone + Send + Sync + 'static {
    fn call<S: Inner>(&self, req: Request, inner: &mut S) -> Answer<S::Future>;
}

/// The ready inner service, taken for a future that outlives `call` (a clone is left in its
/// place, as tower asks of services whose readiness was polled).
pub fn owned<S: Clone>(inner: &mut S) -> S {
    let clone = inner.clone();
    std::mem::replace(inner, clone)
}

/// `inner` called with `req`, boxed.
pub fn boxed(
    fut: impl std::future::Future<Output = Response> + Send + 'static,
) -> BoxFuture<'static, Result<Response, Infallible>> {
    Box::pin(async move { Ok(fut.await) })
}

/// A [`Middleware`] as a tower layer.
#[derive(Clone)]
pub struct MiddlewareLayer<M>(pub M);

impl<M: Clone, S> Layer<S> for MiddlewareLayer<M> {
    type Service = MiddlewareService<M, S>;
    fn layer(&self, inner: S) -> Self::Service {
        MiddlewareService {
            m: self.0.clone(),
            inner,
        }
    }
}

#[derive(Clone)]
pub struct MiddlewareService<M, S> {
    m: M,
    inner: S,
}

impl<M: Middleware, S: Inner> Service<Request> for MiddlewareService<M, S> {
    type Response = Response;
    type Error = Infallible;
    type Future = Answer<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        self.m.call(req, &mut self.inner)
    }
}
