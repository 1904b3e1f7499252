//! LISTEN for the database's change notifications and invalidate the tile cache.
//!
//! Triggers (migrations/0002_tiles.sql) send `NOTIFY mokhattat_tiles` with
//! `{"sources": [...], "boxes": [[minx, miny, maxx, maxy], ...] | null}` (EPSG:3857) whenever a row
//! a tile reads changes, whoever changes it. Every server instance listens on its own connection
//! (`db::listen`); the cache is cleared (and bypassed) while that connection is down.
use std::sync::Arc;

use serde::Deserialize;

use crate::db::{listen::Subscriber, replicas::Reads};

use super::{
    cache::{Invalidation, TileCache},
    source::Source,
};

pub const CHANNEL: &str = "mokhattat_tiles";

#[derive(Deserialize)]
struct Payload {
    sources: Vec<String>,
    boxes: Option<Vec<[f64; 4]>>,
    /// The change (`tile_change`): the sources' new version, and the clock when it was sent.
    change: Option<u64>,
    at: Option<f64>,
}

/// Parse one notification: what it invalidates, and the change it names (version, clock). An
/// unreadable one invalidates everything (never serve stale tiles).
pub fn parse(payload: &str) -> (Invalidation, Option<(u64, f64)>) {
    match serde_json::from_str::<Payload>(payload) {
        Ok(p) => (
            Invalidation {
                mask: p
                    .sources
                    .iter()
                    .filter_map(|s| Source::parse(s))
                    .fold(0, |m, s| m | s.changed_with()),
                boxes: p.boxes,
            },
            p.change.zip(p.at),
        ),
        Err(e) => {
            tracing::warn!(error = %e, payload, "unreadable tile notification; clearing the tile cache");
            (Invalidation::everything(), None)
        }
    }
}

impl Subscriber for TileCache {
    async fn connected(&self, up: bool) {
        self.set_listening(up).await
    }

    async fn notified(&self, payload: &str) {
        let (inv, change) = parse(payload);
        let mask = inv.mask;
        // drop first, then announce the version: a tile asked for at the new version is never an
        // old one from the cache
        self.invalidate(inv).await;
        if let Some((version, at)) = change {
            self.versions.heard(mask, version, at);
        }
    }
}

/// Start listening for `cache`.
pub fn start(reads: &Arc<Reads>, cache: &Arc<TileCache>) {
    crate::db::listen::start(reads, CHANNEL, cache);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_payloads() {
        let (i, change) = parse(
            r#"{"sources":["municipalities","projects"],"change":12,"at":5.5,"boxes":[[1,2,3,4]]}"#,
        );
        assert_eq!(change, Some((12, 5.5)));
        assert_eq!(
            i.mask,
            Source::Municipalities.bit() | Source::Indicators.bit() | Source::Projects.bit()
        );
        assert_eq!(i.boxes, Some(vec![[1.0, 2.0, 3.0, 4.0]]));
        assert_eq!(
            parse(r#"{"sources":["landuse"],"boxes":null}"#).0.boxes,
            None
        );
        assert_eq!(parse("garbage"), (Invalidation::everything(), None));
    }
}
