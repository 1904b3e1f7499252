//! LISTEN for the database's change notifications and invalidate the tile cache.
//!
//! Triggers (migrations/0002_tiles.sql) send `NOTIFY mokhattat_tiles` with
//! `{"sources": [...], "boxes": [[minx, miny, maxx, maxy], ...] | null}` (EPSG:3857) whenever a row
//! a tile reads changes, whoever changes it. Every server instance runs this loop on its own
//! connection; it reconnects by itself, and the cache is cleared (and bypassed) while it is down.
use std::{
    sync::{Arc, Weak},
    time::Duration,
};

use serde::Deserialize;
use sqlx::{postgres::PgListener, PgPool};

use super::{
    cache::{Invalidation, TileCache},
    source::Source,
};

pub const CHANNEL: &str = "mokhattat_tiles";

#[derive(Deserialize)]
struct Payload {
    sources: Vec<String>,
    boxes: Option<Vec<[f64; 4]>>,
}

/// Parse one notification; an unreadable one invalidates everything (never serve stale tiles).
pub fn parse(payload: &str) -> Invalidation {
    match serde_json::from_str::<Payload>(payload) {
        Ok(p) => Invalidation {
            mask: p
                .sources
                .iter()
                .filter_map(|s| Source::parse(s))
                .fold(0, |m, s| m | s.bit()),
            boxes: p.boxes,
        },
        Err(e) => {
            tracing::warn!(error = %e, payload, "unreadable tile notification; clearing the tile cache");
            Invalidation::everything()
        }
    }
}

/// Run the listener until the cache is dropped or the pool is closed.
pub fn spawn(pool: PgPool, cache: Weak<TileCache>) {
    tokio::spawn(async move {
        let mut backoff = Duration::from_millis(200);
        loop {
            if pool.is_closed() || cache.strong_count() == 0 {
                return;
            }
            match listen_once(&pool, &cache).await {
                Ok(()) => return,
                Err(e) => {
                    if pool.is_closed() {
                        return;
                    }
                    if let Some(c) = cache.upgrade() {
                        c.set_listening(false).await;
                    }
                    tracing::warn!(error = %e, retry_in_ms = backoff.as_millis() as u64,
                        "tile cache listener lost its connection; tiles are read from the database until it is back");
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(Duration::from_secs(5));
                }
            }
        }
    });
}

/// One connection's life. Ok when there is nothing left to do (cache dropped, pool closed: closing
/// the pool wakes `try_recv` with `PoolClosed`).
async fn listen_once(pool: &PgPool, cache: &Weak<TileCache>) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    match cache.upgrade() {
        Some(c) => c.set_listening(true).await,
        None => return Ok(()),
    }
    tracing::debug!("tile cache listener connected");
    loop {
        let next = listener.try_recv().await;
        let Some(c) = cache.upgrade() else {
            return Ok(());
        };
        match next {
            Ok(Some(n)) => c.invalidate(parse(n.payload())).await,
            Ok(None) => {
                return Err(sqlx::Error::Protocol(
                    "notification connection closed".into(),
                ))
            }
            Err(sqlx::Error::PoolClosed) => return Ok(()),
            Err(e) => return Err(e),
        }
    }
}

/// Start listening for `cache` (no-op outside a Tokio runtime).
pub fn start(pool: &PgPool, cache: &Arc<TileCache>) {
    if tokio::runtime::Handle::try_current().is_ok() {
        spawn(pool.clone(), Arc::downgrade(cache));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_payloads() {
        let i = parse(r#"{"sources":["municipalities","projects"],"boxes":[[1,2,3,4]]}"#);
        assert_eq!(
            i.mask,
            Source::Municipalities.bit() | Source::Projects.bit()
        );
        assert_eq!(i.boxes, Some(vec![[1.0, 2.0, 3.0, 4.0]]));
        assert_eq!(parse(r#"{"sources":["landuse"],"boxes":null}"#).boxes, None);
        assert_eq!(parse("garbage"), Invalidation::everything());
    }
}
