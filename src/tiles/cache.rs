//! The in-memory tile cache and its invalidation.
//!
//! Tiles are cached (raw and gzip) under their layers, coordinates, filters and scope. The database
//! announces every change with the tile sources and Web Mercator boxes it touched (NOTIFY, see
//! `listen.rs`); [`TileCache::invalidate`] drops exactly the cached tiles of those sources whose
//! buffered envelope meets a box, at every zoom. A tile computed while an invalidation touching it
//! arrived is served but not cached, and nothing is cached while the listener is down (changes
//! could be missed), so the cache never serves a tile older than the last change it was told of.
use std::{
    collections::VecDeque,
    sync::{
        atomic::{AtomicBool, AtomicU64, Ordering},
        Arc, Mutex,
    },
};

use axum::{body::Bytes, http::HeaderValue};

use super::{error::TileError, source};

const WORLD: f64 = 20_037_508.342_789_244;
/// Invalidations remembered to protect tiles being computed while they arrive.
const LOG_LEN: usize = 4096;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TileKey {
    /// Requested layers, in order (e.g. `municipalities,projects`): [`source::Source::order`].
    pub layers: u32,
    /// The same as a set of [`source::Source::bit`]s.
    pub mask: u8,
    pub z: u8,
    pub x: u32,
    pub y: u32,
    /// Canonical filters (empty: none; an empty box costs no allocation).
    pub filter: Box<str>,
    /// Who may see what (empty: anonymous).
    pub scope: Box<str>,
}

impl TileKey {
    /// The tile's envelope in EPSG:3857, grown by the tile buffer.
    pub fn envelope(&self) -> [f64; 4] {
        let size = 2.0 * WORLD / f64::from(1u32 << self.z.min(31));
        let pad = size * f64::from(source::buffer(self.z)) / f64::from(source::extent(self.z));
        let minx = -WORLD + f64::from(self.x) * size;
        let maxy = WORLD - f64::from(self.y) * size;
        [minx - pad, maxy - size - pad, minx + size + pad, maxy + pad]
    }
}

/// One encoded tile. `raw` is empty for an empty tile.
#[derive(Debug)]
pub struct Tile {
    pub raw: Bytes,
    pub gz: Bytes,
    /// A weak ETag, ready to send.
    pub etag: HeaderValue,
}

impl Tile {
    fn weight(&self) -> u32 {
        (self.raw.len() + self.gz.len() + self.etag.len() + 128).min(u32::MAX as usize) as u32
    }
}

/// What one change notification invalidates.
#[derive(Debug, Clone, PartialEq)]
pub struct Invalidation {
    pub mask: u8,
    /// Boxes (minx, miny, maxx, maxy in EPSG:3857); None: everywhere.
    pub boxes: Option<Vec<[f64; 4]>>,
}

impl Invalidation {
    pub fn everything() -> Self {
        Self {
            mask: u8::MAX,
            boxes: None,
        }
    }

    pub fn touches(&self, key: &TileKey) -> bool {
        if self.mask & key.mask == 0 {
            return false;
        }
        let Some(boxes) = &self.boxes else {
            return true;
        };
        let e = key.envelope();
        boxes
            .iter()
            .any(|b| b[0] <= e[2] && b[2] >= e[0] && b[1] <= e[3] && b[3] >= e[1])
    }
}

/// Counters, for `/tiles` and tests.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct CacheStats {
    pub hits: u64,
    pub misses: u64,
    pub invalidations: u64,
    pub entries: u64,
    pub weighted_bytes: u64,
    pub capacity_bytes: u64,
    pub listening: bool,
}

pub struct TileCache {
    /// The sources' data versions (`versions.rs`).
    pub versions: super::versions::Versions,
    /// Where to ask what changed while the listener was down (none: drop everything then).
    primary: Option<sqlx::PgPool>,
    cache: Option<moka::future::Cache<TileKey, Arc<Tile>>>,
    capacity: u64,
    seq: AtomicU64,
    log: Mutex<VecDeque<(u64, Arc<Invalidation>)>>,
    listening: AtomicBool,
    hits: AtomicU64,
    misses: AtomicU64,
    /// The Prometheus counters of hits and misses, looked up once (the recorder otherwise finds
    /// them by name on every tile).
    counters: [metrics::Counter; 2],
}

impl TileCache {
    /// [`TileCache::new`] that catches up on `primary` after a lost listener.
    pub fn with_catch_up(capacity_bytes: u64, primary: sqlx::PgPool) -> Self {
        Self {
            primary: Some(primary),
            ..Self::new(capacity_bytes)
        }
    }

    /// A cache of at most `capacity_bytes`; 0 disables caching.
    pub fn new(capacity_bytes: u64) -> Self {
        let cache = (capacity_bytes > 0).then(|| {
            moka::future::Cache::builder()
                .max_capacity(capacity_bytes)
                .weigher(|_k: &TileKey, v: &Arc<Tile>| v.weight())
                .support_invalidation_closures()
                .build()
        });
        Self {
            versions: Default::default(),
            primary: None,
            cache,
            capacity: capacity_bytes,
            seq: AtomicU64::new(0),
            log: Mutex::new(VecDeque::new()),
            listening: AtomicBool::new(false),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            counters: [
                metrics::counter!("mokhattat_tile_cache_hits_total"),
                metrics::counter!("mokhattat_tile_cache_misses_total"),
            ],
        }
    }

    /// The cached tile, or `compute` it (and cache it when that is safe).
    pub async fn get_or_compute<F, Fut>(
        &self,
        key: TileKey,
        compute: F,
    ) -> Result<Arc<Tile>, TileError>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<Tile, TileError>>,
    {
        let cache = self
            .cache
            .as_ref()
            .filter(|_| self.listening.load(Ordering::SeqCst));
        if let Some(c) = cache {
            if let Some(t) = c.get(&key).await {
                self.hits.fetch_add(1, Ordering::Relaxed);
                self.counters[0].increment(1);
                return Ok(t);
            }
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        self.counters[1].increment(1);
        let start = self.seq.load(Ordering::SeqCst);
        let tile = Arc::new(compute().await?);
        if let Some(c) = cache {
            if self.listening.load(Ordering::SeqCst) && !self.invalidated_since(start, &key) {
                c.insert(key.clone(), tile.clone()).await;
                // An invalidation may have landed between the check and the insert.
                if self.invalidated_since(start, &key) {
                    c.invalidate(&key).await;
                }
            }
        }
        Ok(tile)
    }

    fn invalidated_since(&self, start: u64, key: &TileKey) -> bool {
        let now = self.seq.load(Ordering::SeqCst);
        if now == start {
            return false;
        }
        let Ok(log) = self.log.lock() else {
            return true;
        };
        match log.front() {
            Some((oldest, _)) if *oldest <= start + 1 => log
                .iter()
                .filter(|(s, _)| *s > start)
                .any(|(_, inv)| inv.touches(key)),
            _ => true,
        }
    }

    /// Drop the cached tiles `inv` touches.
    pub async fn invalidate(&self, inv: Invalidation) {
        let inv = Arc::new(inv);
        {
            let mut log = self.log.lock().unwrap_or_else(|p| p.into_inner());
            let seq = self.seq.fetch_add(1, Ordering::SeqCst) + 1;
            log.push_back((seq, inv.clone()));
            while log.len() > LOG_LEN {
                log.pop_front();
            }
        }
        metrics::counter!("mokhattat_tile_cache_invalidations_total").increment(1);
        if let Some(c) = &self.cache {
            let pred = inv.clone();
            if let Err(e) = c.invalidate_entries_if(move |k, _| pred.touches(k)) {
                tracing::warn!(error = %e, "tile cache: predicate invalidation failed; clearing");
                c.invalidate_all();
            }
            c.run_pending_tasks().await;
        }
    }

    /// The listener is up (true) or lost (false). While it is lost the cache is neither read nor
    /// filled (changes may be missed); when it is back, the sources changed meanwhile are dropped
    /// (`versions.rs`; everything when that cannot be known).
    pub async fn set_listening(&self, up: bool) {
        if !up {
            self.listening.store(false, Ordering::SeqCst);
            return;
        }
        let changed = match &self.primary {
            Some(pool) => self.versions.catch_up(pool).await.unwrap_or_else(|e| {
                tracing::warn!(error = %e, "could not ask what changed meanwhile; clearing the tile cache");
                None
            }),
            None => None,
        };
        match changed {
            Some(0) => {}
            Some(mask) => self.invalidate(Invalidation { mask, boxes: None }).await,
            None => {
                self.invalidate(Invalidation::everything()).await;
                if let Some(c) = &self.cache {
                    c.invalidate_all();
                }
            }
        }
        self.listening.store(true, Ordering::SeqCst);
    }

    pub fn is_listening(&self) -> bool {
        self.listening.load(Ordering::SeqCst)
    }

    pub fn stats(&self) -> CacheStats {
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            invalidations: self.seq.load(Ordering::Relaxed),
            entries: self.cache.as_ref().map_or(0, |c| c.entry_count()),
            weighted_bytes: self.cache.as_ref().map_or(0, |c| c.weighted_size()),
            capacity_bytes: self.capacity,
            listening: self.is_listening(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tiles::source::Source;

    fn key(z: u8, x: u32, y: u32, mask: u8) -> TileKey {
        TileKey {
            layers: Source::Municipalities.order(),
            mask,
            z,
            x,
            y,
            filter: "".into(),
            scope: "".into(),
        }
    }

    #[test]
    fn envelopes_and_touches() {
        let e = key(0, 0, 0, 1).envelope();
        assert!(e[0] < -WORLD && e[2] > WORLD);
        // Tunis (10.18 E, 36.80 N) in 3857
        let (x, y) = (1_133_200.0, 4_411_000.0);
        let inv = Invalidation {
            mask: Source::Municipalities.bit(),
            boxes: Some(vec![[x, y, x + 10.0, y + 10.0]]),
        };
        // z10 tile of Tunis: x = 540, y = 399
        assert!(inv.touches(&key(10, 540, 399, Source::Municipalities.bit())));
        assert!(!inv.touches(&key(10, 560, 399, Source::Municipalities.bit())));
        assert!(!inv.touches(&key(10, 540, 399, Source::Projects.bit())));
        assert!(inv.touches(&key(3, 4, 3, Source::Municipalities.bit())));
    }

    #[tokio::test]
    async fn caches_and_invalidates_exactly() {
        let c = TileCache::new(1 << 20);
        c.set_listening(true).await;
        let m = Source::Municipalities.bit();
        let tile = || async {
            Ok(Tile {
                raw: Bytes::from_static(b"x"),
                gz: Bytes::new(),
                etag: HeaderValue::from_static("W/\"e\""),
            })
        };
        for (x, y) in [(540, 399), (560, 399)] {
            c.get_or_compute(key(10, x, y, m), tile).await.unwrap();
            c.get_or_compute(key(10, x, y, m), tile).await.unwrap();
        }
        assert_eq!((c.stats().hits, c.stats().misses), (2, 2));
        let (x, y) = (1_133_200.0, 4_411_000.0);
        c.invalidate(Invalidation {
            mask: m,
            boxes: Some(vec![[x, y, x, y]]),
        })
        .await;
        c.get_or_compute(key(10, 540, 399, m), tile).await.unwrap();
        c.get_or_compute(key(10, 560, 399, m), tile).await.unwrap();
        assert_eq!((c.stats().hits, c.stats().misses), (3, 3));
    }

    #[tokio::test]
    async fn no_caching_of_tiles_raced_by_an_invalidation() {
        let c = Arc::new(TileCache::new(1 << 20));
        c.set_listening(true).await;
        let m = Source::Municipalities.bit();
        let c2 = c.clone();
        c.get_or_compute(key(0, 0, 0, m), || async move {
            c2.invalidate(Invalidation::everything()).await;
            Ok(Tile {
                raw: Bytes::from_static(b"old"),
                gz: Bytes::new(),
                etag: HeaderValue::from_static("W/\"e\""),
            })
        })
        .await
        .unwrap();
        let t = c
            .get_or_compute(key(0, 0, 0, m), || async {
                Ok(Tile {
                    raw: Bytes::from_static(b"new"),
                    gz: Bytes::new(),
                    etag: HeaderValue::from_static("W/\"e\""),
                })
            })
            .await
            .unwrap();
        assert_eq!(&t.raw[..], b"new");
    }
}
