//! The middleware stack every route goes through.
use std::time::Duration;

use axum::{
    http::{header, HeaderName, HeaderValue, Method, Request, StatusCode},
    response::{IntoResponse, Response},
    Router,
};
use tower_http::{
    catch_panic::CatchPanicLayer,
    compression::CompressionLayer,
    cors::{AllowOrigin, CorsLayer},
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    timeout::TimeoutLayer,
    trace::TraceLayer,
};

use crate::{config::Settings, error::AppError, guard::DEFAULT_BODY_LIMIT};

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub fn apply(router: Router, settings: &Settings) -> Router {
    router
        .layer(axum::middleware::from_fn(super::metrics::track))
        // the extractors' own limit (2 MiB by default) set to the documented one
        .layer(axum::extract::DefaultBodyLimit::max(DEFAULT_BODY_LIMIT))
        .layer(RequestBodyLimitLayer::new(DEFAULT_BODY_LIMIT))
        .layer(axum::middleware::from_fn(super::hygiene::layer))
        // fastest gzip: a 1.7 MB GeoJSON page costs ~0.4 s at the default level, ~0.1 s at level 1
        .layer(CompressionLayer::new().quality(tower_http::CompressionLevel::Fastest))
        .layer(PreflightCorsLayer(cors(&settings.cors_origins)))
        .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, settings.request_timeout))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
            let id = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            let route = req
                .extensions()
                .get::<axum::extract::MatchedPath>()
                .map(|p| p.as_str().to_string())
                .unwrap_or_default();
            tracing::info_span!("http", request_id = %id, method = %req.method(), uri = %crate::auth::redacted_uri(req.uri()), route = %route)
        }))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
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
        self.plain.poll_ready(cx)
    }

    fn call(&mut self, req: Request<axum::body::Body>) -> Self::Future {
        let plain_options = req.method() == Method::OPTIONS
            && !req
                .headers()
                .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
        if !plain_options {
            let mut cors = self.cors.clone();
            Box::pin(async move {
                use tower::ServiceExt;
                cors.ready().await?.call(req).await
            })
        } else {
            let mut plain = self.plain.clone();
            Box::pin(async move {
                use tower::ServiceExt;
                plain.ready().await?.call(req).await
            })
        }
    }
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    AppError::Internal("a request handler panicked".into()).into_response()
}
