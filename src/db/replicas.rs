//! Reads on streaming replicas, never older than what this instance already knows about.
//!
//! Writes, imports and change listeners use the primary. Reads (`GET`/`HEAD` requests through
//! [`crate::ctx::Ctx`], tile fills) go to a replica picked round-robin among the healthy ones whose
//! replayed WAL position has reached the instance's *floor*, or to the primary when none has. The
//! floor only rises: to the primary's WAL position after every write this instance answers (so a
//! client reads its own writes), and after every change notification heard from the primary, before
//! the caches drop what the change touched (so a cache refilled after an invalidation is never
//! refilled from a replica that has not replayed the change). A request may also name a position
//! itself (`Mokhattat-Min-Lsn`, as returned in `Mokhattat-Lsn` by a write to another instance).
//! A poller reads each replica's replay position every [`POLL`]; a replica that does not answer
//! within [`PROBE_TIMEOUT`] is left out until it answers again. See docs/scale.md.
use std::{
    convert::Infallible,
    sync::{
        atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering},
        Arc, Weak,
    },
    time::Duration,
};

use axum::response::Response;
use sqlx::PgPool;

/// How often each replica's replay position is read.
pub const POLL: Duration = Duration::from_millis(50);
/// A replica that does not answer a probe in this time is unhealthy until it does.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(1);
/// The header a write's answer carries (the primary's WAL position after it), and the header a
/// read may carry to ask for at least that position.
pub const LSN_HEADER: &str = "mokhattat-lsn";
pub const MIN_LSN_HEADER: &str = "mokhattat-min-lsn";
/// Which database answered a read (with replicas configured).
pub const READ_HEADER: &str = "mokhattat-read";

/// A WAL position as a byte offset (`pg_lsn - '0/0'`).
pub type Lsn = u64;

/// The replay position of a replica, or the current position of a primary (a read URL may name the
/// primary itself).
const REPLAYED: &str =
    "SELECT (coalesce(pg_last_wal_replay_lsn(), pg_current_wal_lsn()) - '0/0'::pg_lsn)::bigint";
const CURRENT: &str = "SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint";

struct Replica {
    pool: PgPool,
    /// The same database, for tile fills ([`TILE_SESSION`]).
    tiles: PgPool,
    replayed: AtomicU64,
    healthy: AtomicBool,
}

/// Session settings of the connections tile fills use. A tile statement is the same text for every
/// tile of a zoom band (coordinates are bound): planned once per connection (a generic plan, the
/// same index scans) instead of at every execution, where planning cost more than running it
/// (0.4 ms vs 0.1 ms for a municipalities tile, docs/scale.md); no JIT, whose compile time exceeds
/// any tile's run time. Kept off the other reads, whose plans may depend on the values bound.
const TILE_SESSION: &[(&str, &str)] = &[("plan_cache_mode", "force_generic_plan"), ("jit", "off")];

/// A pool like `pool` (same database, options and size) whose sessions carry [`TILE_SESSION`];
/// connections are opened when first used and not pinged before each use. Outside a Tokio runtime: `pool` itself.
fn tile_pool(pool: &PgPool) -> PgPool {
    if tokio::runtime::Handle::try_current().is_err() {
        return pool.clone();
    }
    let options = (*pool.connect_options())
        .clone()
        .options(TILE_SESSION.iter().copied());
    // no ping before each acquire: it was a round trip per tile (a connection that broke fails
    // its statement instead: on a replica the read is served again elsewhere, see `route`)
    pool.options()
        .clone()
        .test_before_acquire(false)
        .connect_lazy_with(options)
}

/// True when `e` says the session itself is gone (the server closed it, or the socket broke), not
/// that the statement failed: a tile session is not pinged before use ([`tile_pool`]).
pub fn is_broken(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_) | sqlx::Error::Protocol(_) => true,
        // 08: connection exception; 57P01–57P03: the server is shutting down or terminated it
        sqlx::Error::Database(d) => d
            .code()
            .is_some_and(|c| c.starts_with("08") || c.starts_with("57P")),
        _ => false,
    }
}

/// A session of `pool` that answers a ping, after a statement found one closed ([`is_broken`]):
/// those that do not answer are closed (each try takes another idle session or opens one), so a
/// pool whose sessions the server all closed recovers in one request.
pub async fn live_session(
    pool: &PgPool,
) -> Result<sqlx::pool::PoolConnection<sqlx::Postgres>, sqlx::Error> {
    use sqlx::Connection;
    let mut last = None;
    for _ in 0..=pool.options().get_max_connections() {
        let mut conn = pool.acquire().await?;
        match conn.ping().await {
            Ok(()) => return Ok(conn),
            Err(e) => {
                conn.close_on_drop();
                last = Some(e);
            }
        }
    }
    Err(last.unwrap_or(sqlx::Error::PoolTimedOut))
}

/// The primary and the replicas reads may use.
pub struct Reads {
    primary: PgPool,
    primary_tiles: PgPool,
    replicas: Vec<Replica>,
    next: AtomicUsize,
    floor: AtomicU64,
}

impl Reads {
    /// Reads over `replicas` (none: every read uses the primary). Starts the poller when there are
    /// replicas and a Tokio runtime.
    pub fn new(primary: PgPool, replicas: Vec<PgPool>) -> Arc<Self> {
        let reads = Arc::new(Self {
            primary_tiles: tile_pool(&primary),
            primary,
            replicas: replicas
                .into_iter()
                .map(|pool| Replica {
                    tiles: tile_pool(&pool),
                    pool,
                    replayed: AtomicU64::new(0),
                    healthy: AtomicBool::new(false),
                })
                .collect(),
            next: AtomicUsize::new(0),
            floor: AtomicU64::new(0),
        });
        if !reads.replicas.is_empty() && tokio::runtime::Handle::try_current().is_ok() {
            tokio::spawn(poll(Arc::downgrade(&reads)));
        }
        reads
    }

    pub fn primary(&self) -> &PgPool {
        &self.primary
    }

    pub fn has_replicas(&self) -> bool {
        !self.replicas.is_empty()
    }

    /// The pool a read uses: a healthy replica, round-robin, that has replayed at least the floor
    /// and the position the request asks for; else the primary. Outside a read scope (writes,
    /// background work): the primary.
    pub fn pick(&self) -> PgPool {
        match self.choose() {
            Some(i) => self.replicas[i].pool.clone(),
            None => self.primary.clone(),
        }
    }

    /// [`Reads::pick`] for a tile fill: the same choice, through the tile sessions.
    pub fn pick_tiles(&self) -> PgPool {
        match self.choose() {
            Some(i) => self.replicas[i].tiles.clone(),
            None => self.primary_tiles.clone(),
        }
    }

    /// The primary through the tile sessions.
    pub fn primary_tiles(&self) -> &PgPool {
        &self.primary_tiles
    }

    /// The replica a read uses ([`Reads::pick`]), or None for the primary; noted in the read scope.
    fn choose(&self) -> Option<usize> {
        let Ok(min) = SCOPE.try_with(|s| s.min) else {
            return None;
        };
        let need = self.floor.load(Ordering::SeqCst).max(min);
        let n = self.replicas.len();
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        let found = (0..n).map(|k| (start + k) % n).find(|&i| {
            let r = &self.replicas[i];
            r.healthy.load(Ordering::SeqCst) && r.replayed.load(Ordering::SeqCst) >= need
        });
        let _ = SCOPE.try_with(|s| s.used.store(found.map_or(1, |i| i + 2), Ordering::SeqCst));
        found
    }

    /// A read failed on replica `i`: leave it out until the poller hears from it again.
    fn left_out(&self, i: usize) {
        if self.replicas[i].healthy.swap(false, Ordering::SeqCst) {
            tracing::warn!(
                replica = i,
                "a read failed on a replica; serving it again from elsewhere"
            );
        }
    }

    /// Raise the floor to the primary's current WAL position (after a write or a notification);
    /// returns that position. A no-op without replicas.
    pub async fn catch_up(&self) -> Option<Lsn> {
        if self.replicas.is_empty() {
            return None;
        }
        match sqlx::query_scalar::<_, i64>(CURRENT)
            .fetch_one(&self.primary)
            .await
        {
            Ok(lsn) => {
                let lsn = lsn as Lsn;
                // Lsn::MAX (the position was unknown) gives way to the first position known again
                let _ = self
                    .floor
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |f| {
                        Some(if f == Lsn::MAX { lsn } else { f.max(lsn) })
                    });
                Some(lsn)
            }
            Err(e) => {
                // without the position no replica can be trusted: read from the primary
                tracing::warn!(error = %e, "could not read the primary's WAL position; reading from the primary");
                self.floor.store(Lsn::MAX, Ordering::SeqCst);
                None
            }
        }
    }

    /// The replicas' state, for `/health/ready` and the logs.
    pub fn status(&self) -> Vec<serde_json::Value> {
        let floor = self.floor.load(Ordering::SeqCst);
        self.replicas
            .iter()
            .map(|r| {
                let replayed = r.replayed.load(Ordering::SeqCst);
                serde_json::json!({
                    "healthy": r.healthy.load(Ordering::SeqCst),
                    "lag_bytes": floor.saturating_sub(replayed),
                })
            })
            .collect()
    }
}

async fn poll(reads: Weak<Reads>) {
    let mut tick = tokio::time::interval(POLL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let Some(reads) = reads.upgrade() else {
            return;
        };
        if reads.primary.is_closed() {
            return;
        }
        for (i, r) in reads.replicas.iter().enumerate() {
            let probe = sqlx::query_scalar::<_, i64>(REPLAYED).fetch_one(&r.pool);
            let up = match tokio::time::timeout(PROBE_TIMEOUT, probe).await {
                Ok(Ok(lsn)) => {
                    r.replayed.fetch_max(lsn as Lsn, Ordering::SeqCst);
                    true
                }
                _ => false,
            };
            if r.healthy.swap(up, Ordering::SeqCst) != up {
                match up {
                    true => tracing::info!(replica = i, "read replica up: reads use it again"),
                    false => tracing::warn!(
                        replica = i,
                        "read replica not answering: reads use the other replicas or the primary"
                    ),
                }
            }
        }
    }
}

/// Parse `Mokhattat-Min-Lsn`: a byte offset, or PostgreSQL's `X/Y` form.
pub fn parse_lsn(s: &str) -> Option<Lsn> {
    let s = s.trim();
    match s.split_once('/') {
        Some((hi, lo)) => {
            let hi = u64::from_str_radix(hi, 16).ok()?;
            let lo = u64::from_str_radix(lo, 16).ok()?;
            (hi <= u32::MAX as u64 && lo <= u32::MAX as u64).then_some((hi << 32) | lo)
        }
        None => s.parse().ok(),
    }
}

/// What a request reads from: the reads handle, in the request's extensions for the `Ctx` extractor.
#[derive(Clone)]
pub struct ReadFrom(pub Arc<Reads>);

/// The read being served (a task-local, so tile fills deep inside see it too): the position it needs
/// and the pool it used (0: none, e.g. a cache hit; 1: the primary; 2 + i: replica i).
struct Scope {
    min: Lsn,
    used: AtomicUsize,
}

tokio::task_local! {
    static SCOPE: Arc<Scope>;
}

/// True when a request needs nothing of [`route`]: a read (`GET`, `HEAD`) without replicas
/// configured goes to the primary as it is (the middleware then hands it on untouched).
pub fn passes_through(reads: &Reads, method: &axum::http::Method) -> bool {
    use axum::http::Method;
    matches!(*method, Method::GET | Method::HEAD) && !reads.has_replicas()
}

/// Middleware (`web::middleware`, around `inner`, the routes): a read (`GET`, `HEAD`) runs in a
/// read scope; if it fails with a server error on a replica, that replica is left out and the read
/// is served again (primary or another replica), so a replica going away costs no failed request.
/// A successful write raises the floor and answers with the primary's position in `Mokhattat-Lsn`.
pub async fn route<S>(reads: Arc<Reads>, mut req: axum::extract::Request, inner: S) -> Response
where
    S: tower::Service<axum::extract::Request, Response = Response, Error = Infallible>
        + Clone
        + Send,
    S::Future: Send,
{
    use axum::http::{HeaderValue, Method};
    use tower::ServiceExt;
    let run = move |req| {
        let inner = inner.clone();
        async move { inner.oneshot(req).await.unwrap_or_else(|e| match e {}) }
    };
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        let mut resp = run(req).await;
        if resp.status().is_success() {
            if let Some(lsn) = reads.catch_up().await {
                resp.headers_mut()
                    .insert(LSN_HEADER, HeaderValue::from(lsn));
            }
        }
        return resp;
    }
    let min = req
        .headers()
        .get(MIN_LSN_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(parse_lsn)
        .unwrap_or(0);
    if !reads.has_replicas() {
        return run(req).await;
    }
    req.extensions_mut().insert(ReadFrom(reads.clone()));
    let (parts, body) = req.into_parts();
    let scope = Arc::new(Scope {
        min,
        used: AtomicUsize::new(0),
    });
    let first = axum::extract::Request::from_parts(parts.clone(), body);
    let resp = SCOPE.scope(scope.clone(), run(first)).await;
    let used = scope.used.load(Ordering::SeqCst);
    if resp.status().is_server_error() && used >= 2 {
        reads.left_out(used - 2);
        let again = axum::extract::Request::from_parts(parts, axum::body::Body::empty());
        let scope = Arc::new(Scope {
            min,
            used: AtomicUsize::new(0),
        });
        let resp = SCOPE.scope(scope.clone(), run(again)).await;
        return read_from(resp, scope.used.load(Ordering::SeqCst));
    }
    read_from(resp, used)
}

/// Say in `Mokhattat-Read` which database answered a read (`primary`, `replica-0`, …), for
/// operators and the tests; nothing on a cache hit.
fn read_from(mut resp: axum::response::Response, used: usize) -> axum::response::Response {
    let name = match used {
        0 => return resp,
        1 => "primary".to_string(),
        n => format!("replica-{}", n - 2),
    };
    if let Ok(v) = axum::http::HeaderValue::from_str(&name) {
        resp.headers_mut().insert(READ_HEADER, v);
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::parse_lsn;

    #[test]
    fn lsn_forms() {
        assert_eq!(parse_lsn("0/16B3748"), Some(0x16B3748));
        assert_eq!(parse_lsn("1/0"), Some(1 << 32));
        assert_eq!(parse_lsn("12345"), Some(12345));
        assert_eq!(parse_lsn("x/1"), None);
        assert_eq!(parse_lsn("100000000/0"), None);
        assert_eq!(parse_lsn(""), None);
    }
}
