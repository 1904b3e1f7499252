//! Prometheus metrics: requests and latency by route, database pool gauges, cache counters,
//! connections (`web::server`) and rate-limit refusals (`web::rate_limit`).
use std::{
    collections::HashMap,
    sync::{Arc, OnceLock, RwLock},
    time::{Duration, Instant},
};

use axum::{
    extract::{MatchedPath, Request, State},
    http::Method,
    response::IntoResponse,
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
                    .inspect(spawn_upkeep)
            })
            .clone();
        Self { handle }
    }

    pub fn render(&self) -> String {
        self.handle.as_ref().map(|h| h.render()).unwrap_or_default()
    }
}

/// The recorder keeps histogram samples until they are folded into their buckets: fold them every
/// few seconds (the handle does it when `/metrics` is read, which may never happen), so memory
/// stays flat whatever the request rate.
fn spawn_upkeep(handle: &PrometheusHandle) {
    let handle = handle.clone();
    let _ = std::thread::Builder::new()
        .name("metrics-upkeep".into())
        .spawn(move || loop {
            std::thread::sleep(Duration::from_secs(5));
            handle.run_upkeep();
        });
}

/// The request counter and latency histogram of one route, method and status.
#[derive(Clone)]
struct RouteHandles {
    requests: metrics::Counter,
    duration: metrics::Histogram,
}

/// Handles are looked up once per (route, method, status) and kept: the recorder's own lookup
/// builds and hashes the label set on every request. Bounded: routes are templates and methods
/// the standard ones; anything else (an extension method) is recorded without being kept.
fn route_handles(route: &str, method: &Method, status: u16) -> RouteHandles {
    type Map = HashMap<String, HashMap<(Method, u16), RouteHandles>>;
    static KEPT: OnceLock<RwLock<Map>> = OnceLock::new();
    const MAX_KEPT: usize = 4096;
    let kept = KEPT.get_or_init(Default::default);
    let found = kept.read().ok().and_then(|m| {
        m.get(route)
            .and_then(|by| by.get(&(method.clone(), status)).cloned())
    });
    if let Some(h) = found {
        return h;
    }
    let labels = [
        ("route", route.to_string()),
        ("method", method.to_string()),
        ("status", status.to_string()),
    ];
    let h = RouteHandles {
        requests: metrics::counter!("mokhattat_http_requests_total", &labels),
        duration: metrics::histogram!("mokhattat_http_request_duration_seconds", &labels[..2]),
    };
    let standard = [
        Method::GET,
        Method::HEAD,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
        Method::OPTIONS,
    ]
    .contains(method);
    if !standard {
        return h;
    }
    if let Ok(mut m) = kept.write() {
        if m.values().map(HashMap::len).sum::<usize>() < MAX_KEPT {
            m.entry(route.to_string())
                .or_default()
                .insert((method.clone(), status), h.clone());
        }
    }
    h
}

/// One request being counted: its route template, method and start, until its status is known.
pub struct Track {
    route: Option<MatchedPath>,
    method: Method,
    start: Instant,
}

impl Track {
    pub fn start(req: &Request) -> Self {
        Self {
            route: req.extensions().get::<MatchedPath>().cloned(),
            method: req.method().clone(),
            start: Instant::now(),
        }
    }

    /// Count the request and record its latency under the matched route template.
    pub fn finish(self, status: axum::http::StatusCode) {
        let route = self.route.as_ref().map_or("unmatched", MatchedPath::as_str);
        let h = route_handles(route, &self.method, status.as_u16());
        h.requests.increment(1);
        h.duration.record(self.start.elapsed().as_secs_f64());
    }
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
