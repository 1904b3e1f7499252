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
}

/// Parse one notification; an unreadable one invalidates everything (never serve stale tiles).
pub fn parse(payload: &str) -> Invalidation {
    match serde_json::from_str::<Payload>(payload) {
        Ok(p) => Invalidation {
            mask: p
                .sources
                .iter()
                .filter_map(|s| Source::parse(s))
                // the indicators layer draws the municipalities: their changes are its changes
                .fold(0, |m, s| match s {
                    Source::Municipalities => m | s.bit() | Source::Indicators.bit(),
                    _ => m | s.bit(),
                }),
            boxes: p.boxes,
        },
        Err(e) => {
            tracing::warn!(error = %e, payload, "unreadable tile notification; clearing the tile cache");
            Invalidation::everything()
        }
    }
}

impl Subscriber for TileCache {
    async fn connected(&self, up: bool) {
        self.set_listening(up).await
    }

    async fn notified(&self, payload: &str) {
        self.invalidate(parse(payload)).await
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
        let i = parse(r#"{"sources":["municipalities","projects"],"boxes":[[1,2,3,4]]}"#);
        assert_eq!(
            i.mask,
            Source::Municipalities.bit() | Source::Indicators.bit() | Source::Projects.bit()
        );
        assert_eq!(i.boxes, Some(vec![[1.0, 2.0, 3.0, 4.0]]));
        assert_eq!(parse(r#"{"sources":["landuse"],"boxes":null}"#).boxes, None);
        assert_eq!(parse("garbage"), Invalidation::everything());
    }
}
