//! The middleware stack every route goes through.
use std::{sync::Arc, time::Duration};

use axum::{
    extract::Request,
    http::{header, HeaderName, HeaderValue, Method, StatusCode},
    response::{IntoResponse, Response},
    Router,
};
use tower_http::{
    catch_panic::CatchPanicLayer,
    compression::CompressionLayer,
    cors::{AllowOrigin, CorsLayer},
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer},
    timeout::TimeoutLayer,
    trace::TraceLayer,
};

use futures_util::future::Either;
use tower::ServiceBuilder;

use super::layer::{boxed, owned, Answer, Inner, Middleware, MiddlewareLayer};
use crate::{
    auth::{Caller, KeyStore},
    config::Settings,
    db::replicas::{self, Reads},
    error::AppError,
    guard::DEFAULT_BODY_LIMIT,
};

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The stack, outermost first. It is one tower stack applied with one `Router::layer` call: each
/// `Router::layer` call boxes the routes anew, and a middleware that clones its inner service per
/// request (`from_fn`) then clones every box below it — allocations on every request, the largest
/// cost of a cached tile before this was one stack (docs/scale.md).
/// `keys` authenticate every request (a bad key is a 401 on every path); `reads` is where reads go.
pub fn apply(router: Router, settings: &Settings, keys: KeyStore, reads: Arc<Reads>) -> Router {
    let stack = ServiceBuilder::new()
        .layer(SetRequestIdLayer::new(REQUEST_ID, FastRequestId))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
            let id = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            let route = req
                .extensions()
                .get::<axum::extract::MatchedPath>()
                .map_or("", |p| p.as_str());
            tracing::info_span!("http", request_id = %id, method = %req.method(), uri = %crate::auth::redacted_uri(req.uri()), route = %route)
        }))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, settings.request_timeout))
        .layer(PreflightCorsLayer(cors(&settings.cors_origins)))
        .map_response(IntoResponse::into_response)
        // fastest gzip: a 1.7 MB GeoJSON page costs ~0.4 s at the default level, ~0.1 s at level 1
        .layer(CompressionLayer::new().quality(tower_http::CompressionLevel::Fastest))
        .layer(MiddlewareLayer(Edge))
        .map_response(IntoResponse::into_response)
        .layer(RequestBodyLimitLayer::new(DEFAULT_BODY_LIMIT))
        .map_request(|r: Request<_>| r.map(axum::body::Body::new))
        // the extractors' own limit (2 MiB by default) set to the documented one
        .layer(axum::extract::DefaultBodyLimit::max(DEFAULT_BODY_LIMIT))
        .layer(MiddlewareLayer(Authenticate(keys)))
        .layer(MiddlewareLayer(ReadScope(reads)));
    router.layer(stack)
}

/// Request hygiene and metrics (`web::hygiene`, `web::metrics`): an unclean URI is refused before
/// any route runs; every other request is counted under its route template, and a framework error
/// answer gets the JSON exception body.
#[derive(Clone)]
struct Edge;

impl Middleware for Edge {
    fn call<S: Inner>(&self, req: Request, inner: &mut S) -> Answer<S::Future> {
        if let Some(problem) = super::hygiene::uri_problem(req.uri().path(), req.uri().query()) {
            let refused = AppError::bad_request(problem).into_response();
            return Either::Right(boxed(std::future::ready(refused)));
        }
        let track = super::metrics::Track::start(&req);
        let answer = inner.call(req);
        Either::Right(boxed(async move {
            let resp = answer.await.unwrap_or_else(|e| match e {});
            track.finish(resp.status());
            super::hygiene::json_errors(resp).await
        }))
    }
}

/// The caller of every request, before routing: no key is [`Caller::Anonymous`], handed on as it
/// is; a key (in any of the three places, however encoded) is checked by the [`Caller`] extractor,
/// so a malformed, unknown or revoked key is a 401 on every path, static pages, tiles and unknown
/// paths included, and never reads as anonymous. The caller is kept in the request.
#[derive(Clone)]
struct Authenticate(KeyStore);

impl Middleware for Authenticate {
    fn call<S: Inner>(&self, req: Request, inner: &mut S) -> Answer<S::Future> {
        use axum::extract::FromRequestParts;
        let (mut parts, body) = req.into_parts();
        if matches!(crate::auth::extract::presented_key(&parts), Ok(None)) {
            parts.extensions.insert(Caller::Anonymous);
            return Either::Left(inner.call(Request::from_parts(parts, body)));
        }
        let keys = self.0.clone();
        let mut inner = owned(inner);
        Either::Right(boxed(async move {
            match Caller::from_request_parts(&mut parts, &keys).await {
                Ok(_) => {
                    let answer = inner.call(Request::from_parts(parts, body)).await;
                    answer.unwrap_or_else(|e| match e {})
                }
                Err(e) => e.into_response(),
            }
        }))
    }
}

/// Reads on replicas (`db::replicas::route`); a read with no replica configured is handed on.
#[derive(Clone)]
struct ReadScope(Arc<Reads>);

impl Middleware for ReadScope {
    fn call<S: Inner>(&self, req: Request, inner: &mut S) -> Answer<S::Future> {
        if replicas::passes_through(&self.0, req.method()) {
            return Either::Left(inner.call(req));
        }
        Either::Right(boxed(replicas::route(self.0.clone(), req, owned(inner))))
    }
}

/// Request ids in the form of random UUIDs (version 4) without a system call per request: a
/// process-wide random seed and a counter, mixed (splitmix64, a bijection, so ids never repeat
/// within a process; seeds make them distinct across instances).
#[derive(Clone, Copy)]
struct FastRequestId;

impl MakeRequestId for FastRequestId {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        use std::sync::atomic::{AtomicU64, Ordering};
        static SEED: std::sync::OnceLock<(u64, u64)> = std::sync::OnceLock::new();
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let (a, b) = *SEED.get_or_init(rand::random);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let hi = splitmix64(n ^ a);
        let lo = splitmix64(n.wrapping_add(b));
        let hi = (hi & !0xF000) | 0x4000; // version 4
        let lo = (lo & !(0b11 << 62)) | (0b10 << 62); // RFC 4122 variant
        let text = format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            hi >> 32,
            (hi >> 16) & 0xFFFF,
            hi & 0xFFFF,
            lo >> 48,
            lo & 0xFFFF_FFFF_FFFF
        );
        HeaderValue::from_str(&text).ok().map(RequestId::new)
    }
}

fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn cors(origins: &[String]) -> CorsLayer {
    let base = CorsLayer::new()
        .allow_methods([
            Method::GET,
            Method::HEAD,
            Method::OPTIONS,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_MATCH,
            header::IF_NONE_MATCH,
            HeaderName::from_static("x-api-key"),
        ])
        .expose_headers([
            header::ETAG,
            header::LOCATION,
            HeaderName::from_static("content-crs"),
        ])
        .max_age(Duration::from_secs(3600));
    if origins.iter().any(|o| o == "*") {
        base.allow_origin(AllowOrigin::any())
    } else {
        let list: Vec<HeaderValue> = origins
            .iter()
            .filter_map(|o| HeaderValue::from_str(o).ok())
            .collect();
        base.allow_origin(AllowOrigin::list(list))
    }
}

/// CORS that answers only real preflight requests (`OPTIONS` with `Access-Control-Request-Method`).
/// tower-http's `Cors` answers every `OPTIONS` itself; a plain `OPTIONS` must reach the route, whose
/// `Allow` header tells QGIS (OGC API – Features Part 4) whether editing is possible.
#[derive(Clone)]
struct PreflightCorsLayer(CorsLayer);

impl<S: Clone> tower::Layer<S> for PreflightCorsLayer {
    type Service = PreflightCors<S>;
    fn layer(&self, inner: S) -> Self::Service {
        PreflightCors {
            cors: tower::Layer::layer(&self.0, inner.clone()),
            plain: inner,
        }
    }
}

#[derive(Clone)]
struct PreflightCors<S> {
    plain: S,
    cors: tower_http::cors::Cors<S>,
}

impl<S> tower::Service<Request<axum::body::Body>> for PreflightCors<S>
where
    S: tower::Service<
            Request<axum::body::Body>,
            Response = Response,
            Error = std::convert::Infallible,
        > + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = std::convert::Infallible;
    type Future =
        std::pin::Pin<Box<dyn std::future::Future<Output = Result<Response, Self::Error>> + Send>>;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        // both wrap the same (always ready) routes; whichever the request takes is ready
        std::task::ready!(self.plain.poll_ready(cx))?;
        self.cors.poll_ready(cx)
    }

    fn call(&mut self, req: Request<axum::body::Body>) -> Self::Future {
        let plain_options = req.method() == Method::OPTIONS
            && !req
                .headers()
                .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
        if plain_options {
            Box::pin(self.plain.call(req))
        } else {
            Box::pin(self.cors.call(req))
        }
    }
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    AppError::Internal("a request handler panicked".into()).into_response()
}
