//! A cache of anonymous GeoJSON/JSON answers of `/collections/{id}/items[/{fid}]` that is never
//! stale: any change to a table a collection reads — through the API, the importer, or QGIS/psql
//! directly — sends `NOTIFY mokhattat_features` (migration 0011) and every server drops the
//! collection's cached answers. While the listening connection is down nothing is cached.
//!
//! Only requests without a key are cached (what a key holder sees depends on the key), only
//! collections whose tables notify, and only JSON answers (HTML views and downloads are not).
use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicBool, AtomicU64, Ordering},
        Arc,
    },
};

use axum::{
    body::{to_bytes, Body, HttpBody},
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::db::{
    listen::{self, Subscriber},
    replicas::Reads,
};

pub const CHANNEL: &str = "mokhattat_features";
/// Larger answers are served but not kept.
const MAX_BODY: usize = 8 * 1024 * 1024;

/// The collections each notifying table feeds.
fn collections_of(table: &str) -> &'static [&'static str] {
    match table {
        "admin_unit" | "population" => &["municipalities", "delegations", "governorates"],
        "landuse_zone" | "landuse_layer" | "landuse_class" => &["landuse"],
        "project" | "project_location" | "project_event" | "project_status" => &["projects"],
        "facility" => &["facilities"],
        _ => &[],
    }
}

const CACHED: [&str; 6] = [
    "municipalities",
    "delegations",
    "governorates",
    "landuse",
    "projects",
    "facilities",
];

#[derive(Clone)]
struct Cached {
    content_type: HeaderValue,
    headers: Vec<(header::HeaderName, HeaderValue)>,
    body: axum::body::Bytes,
}

pub struct FeatureCache {
    /// None: caching disabled (`--features-cache-mb 0`).
    cache: Option<moka::future::Cache<(&'static str, String), Arc<Cached>>>,
    listening: AtomicBool,
    /// Per collection: bumped by every change heard, so an answer computed across a change is not kept.
    generations: HashMap<&'static str, AtomicU64>,
}

impl FeatureCache {
    /// A cache of `capacity_bytes` (0 disables it) kept current by its own listener on the primary.
    pub fn new(reads: &Arc<Reads>, capacity_bytes: u64) -> Arc<Self> {
        let cache = Arc::new(Self {
            cache: (capacity_bytes > 0).then(|| {
                moka::future::Cache::builder()
                    .max_capacity(capacity_bytes)
                    .weigher(|k: &(&'static str, String), v: &Arc<Cached>| {
                        (k.1.len() + v.body.len()).try_into().unwrap_or(u32::MAX)
                    })
                    .support_invalidation_closures()
                    .build()
            }),
            listening: AtomicBool::new(false),
            generations: CACHED.iter().map(|c| (*c, AtomicU64::new(0))).collect(),
        });
        if cache.cache.is_some() {
            listen::start(reads, CHANNEL, &cache);
        }
        cache
    }

    fn generation(&self, collection: &str) -> Option<u64> {
        self.generations
            .get(collection)
            .map(|g| g.load(Ordering::SeqCst))
    }

    async fn drop_collections(&self, collections: &[&'static str]) {
        for c in collections {
            if let Some(g) = self.generations.get(c) {
                g.fetch_add(1, Ordering::SeqCst);
            }
        }
        let Some(cache) = &self.cache else { return };
        let owned: Vec<&'static str> = collections.to_vec();
        if cache
            .invalidate_entries_if(move |k, _| owned.contains(&k.0))
            .is_err()
        {
            cache.invalidate_all();
        }
        cache.run_pending_tasks().await;
    }
}

impl Subscriber for FeatureCache {
    async fn connected(&self, up: bool) {
        if !up {
            self.listening.store(false, Ordering::SeqCst);
        }
        self.drop_collections(&CACHED).await;
        if up {
            self.listening.store(true, Ordering::SeqCst);
        }
    }

    async fn notified(&self, payload: &str) {
        let collections = collections_of(payload);
        if !collections.is_empty() {
            self.drop_collections(collections).await;
        }
    }
}

/// The collection a cacheable request reads, if it is one. Whether a key is presented is decided
/// by the same function that authenticates (however the key is sent or encoded).
fn cacheable(req: &Request) -> Option<&'static str> {
    if req.method() != axum::http::Method::GET
        || req.headers().contains_key(header::AUTHORIZATION)
        || req.headers().contains_key("x-api-key")
        || req.headers().contains_key(header::IF_NONE_MATCH)
        || !matches!(crate::auth::query_key(req.uri().query()), Ok(None))
    {
        return None;
    }
    let rest = req.uri().path().strip_prefix("/collections/")?;
    let (id, tail) = rest.split_once('/')?;
    if tail != "items" && !tail.starts_with("items/") {
        return None;
    }
    CACHED.iter().copied().find(|c| *c == id)
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/geo+json") || t.starts_with("application/json"))
}

/// The cached collection a write request changes, if it is one.
fn written(req: &Request) -> Option<&'static str> {
    if matches!(
        *req.method(),
        axum::http::Method::GET | axum::http::Method::HEAD | axum::http::Method::OPTIONS
    ) {
        return None;
    }
    let rest = req.uri().path().strip_prefix("/collections/")?;
    let id = rest.split('/').next()?;
    CACHED.iter().copied().find(|c| *c == id)
}

/// Middleware on the items routes: answer from the cache, or let the handler answer and keep it.
/// A write through this server drops the collection's answers before it is answered, so its
/// author reads the change at once (other servers, and edits made in SQL, learn it by NOTIFY).
pub async fn layer(State(this): State<Arc<FeatureCache>>, req: Request, next: Next) -> Response {
    if let Some(collection) = written(&req) {
        let resp = next.run(req).await;
        if resp.status().is_success() {
            this.drop_collections(&[collection]).await;
        }
        return resp;
    }
    let (Some(collection), Some(store)) = (cacheable(&req), &this.cache) else {
        return next.run(req).await;
    };
    let cache = &*this;
    let accept = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let key = (collection, format!("{}\n{accept}", req.uri()));
    if cache.listening.load(Ordering::SeqCst) {
        if let Some(hit) = store.get(&key).await {
            metrics::counter!("mokhattat_features_cache_hits_total").increment(1);
            let mut resp = (
                [(header::CONTENT_TYPE, hit.content_type.clone())],
                hit.body.clone(),
            )
                .into_response();
            for (k, v) in &hit.headers {
                resp.headers_mut().insert(k.clone(), v.clone());
            }
            return resp;
        }
    }
    let before = cache.generation(collection);
    let resp = next.run(req).await;
    if resp.status() != StatusCode::OK
        || !is_json(resp.headers())
        || !cache.listening.load(Ordering::SeqCst)
    {
        return resp;
    }
    // only answers of a known, moderate size (the handlers build whole bodies)
    let size = HttpBody::size_hint(resp.body()).exact();
    if size.is_none_or(|n| n > MAX_BODY as u64) {
        return resp;
    }
    let (parts, body) = resp.into_parts();
    let body = match to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(e) => {
            tracing::warn!(error = %e, "features answer could not be buffered");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    metrics::counter!("mokhattat_features_cache_misses_total").increment(1);
    if cache.listening.load(Ordering::SeqCst) && cache.generation(collection) == before {
        let kept = [header::ETAG, super::items::CONTENT_CRS];
        let entry = Cached {
            content_type: parts
                .headers
                .get(header::CONTENT_TYPE)
                .cloned()
                .unwrap_or(HeaderValue::from_static("application/json")),
            headers: kept
                .into_iter()
                .filter_map(|k| parts.headers.get(&k).map(|v| (k, v.clone())))
                .collect(),
            body: body.clone(),
        };
        store.insert(key.clone(), Arc::new(entry)).await;
        // a change may have landed between the check and the insert
        if cache.generation(collection) != before {
            store.invalidate(&key).await;
        }
    }
    Response::from_parts(parts, Body::from(body))
}
