//! Prometheus metrics: requests and latency by route, database pool gauges, cache counters,
//! connections (`web::server`) and rate-limit refusals (`web::rate_limit`).
use std::{
    sync::{Arc, OnceLock},
    time::Instant,
};

use axum::{
    extract::{MatchedPath, Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

use sqlx::PgPool;

use super::rate_limit::RateLimiter;

#[derive(Clone)]
pub struct Metrics {
    handle: Option<PrometheusHandle>,
}

impl Metrics {
    /// The process-wide recorder (installed once; later calls share it).
    pub fn global() -> Self {
        static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
        let handle = HANDLE
            .get_or_init(|| {
                PrometheusBuilder::new()
                    .set_buckets(&[
                        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
                        10.0,
                    ])
                    .ok()?
                    .install_recorder()
                    .ok()
            })
            .clone();
        Self { handle }
    }

    pub fn render(&self) -> String {
        self.handle.as_ref().map(|h| h.render()).unwrap_or_default()
    }
}

/// Middleware: count requests and record their latency under the matched route template.
pub async fn track(req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let method = req.method().to_string();
    let start = Instant::now();
    let resp = next.run(req).await;
    let status = resp.status().as_u16().to_string();
    let labels = [("route", route), ("method", method), ("status", status)];
    metrics::counter!("mokhattat_http_requests_total", &labels).increment(1);
    metrics::histogram!("mokhattat_http_request_duration_seconds", &labels[..2])
        .record(start.elapsed().as_secs_f64());
    resp
}

/// `GET /metrics` — Prometheus text format.
pub async fn handler(
    State(pool): State<PgPool>,
    State(limiter): State<Arc<RateLimiter>>,
    State(recorder): State<Metrics>,
) -> impl IntoResponse {
    metrics::gauge!("mokhattat_db_pool_connections").set(pool.size() as f64);
    metrics::gauge!("mokhattat_db_pool_idle_connections").set(pool.num_idle() as f64);
    metrics::gauge!("mokhattat_db_pool_max_connections")
        .set(pool.options().get_max_connections() as f64);
    metrics::gauge!("mokhattat_rate_limit_addresses").set(limiter.tracked() as f64);
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        recorder.render(),
    )
}
