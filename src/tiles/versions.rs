//! Data versions of the tile sources, and what an instance drops after its listener was lost.
//!
//! Every change the database announces is a `tile_change` row (migration 0023) with an id and the
//! clock at its commit, and its notification names both. A source's version is the id of the
//! latest change heard; every instance hears the same changes in the same (commit) order, so they
//! agree on it. TileJSON tile templates carry it (`?v=`); a tile asked for at the current version
//! is `immutable` for a CDN. When the listening connection comes back, the instance asks which
//! sources changed since the last change it heard (10 s of margin for commits in flight) and drops
//! only those, instead of the whole cache. See docs/scale.md.
use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::PgPool;

use super::source::Source;

/// Commits in flight when the last change was heard are covered by this margin.
const MARGIN_S: f64 = 10.0;

/// How a request's `v` compares with what the instance knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// The current version of every requested source.
    Current,
    /// Older (or unreadable): answer current data, cacheable briefly.
    Stale,
    /// Newer than this instance has heard of: read from the primary, bypassing the cache.
    Ahead,
}

pub struct Versions {
    known: [AtomicU64; Source::ALL.len()],
    /// The database clock (seconds, as f64 bits) of the latest change heard or catch-up made.
    heard_at: AtomicU64,
}

impl Default for Versions {
    fn default() -> Self {
        Self {
            known: std::array::from_fn(|_| AtomicU64::new(0)),
            heard_at: AtomicU64::new(0),
        }
    }
}

impl Versions {
    /// A change heard: `change` is the new version of the sources in `mask`.
    pub fn heard(&self, mask: u8, change: u64, at: f64) {
        for s in Source::ALL.iter().filter(|s| mask & s.bit() != 0) {
            self.known[*s as usize].store(change, Ordering::SeqCst);
        }
        let _ = self
            .heard_at
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |old| {
                (at > f64::from_bits(old)).then_some(at.to_bits())
            });
    }

    /// The version of `sources` as a URL value: their versions joined by `-`, in request order.
    pub fn of(&self, sources: &[Source]) -> String {
        sources
            .iter()
            .map(|s| self.known[*s as usize].load(Ordering::SeqCst).to_string())
            .collect::<Vec<_>>()
            .join("-")
    }

    pub fn compare(&self, sources: &[Source], v: &str) -> Freshness {
        let asked: Vec<Option<u64>> = v.split('-').map(|p| p.parse().ok()).collect();
        if asked.len() != sources.len() || asked.iter().any(Option::is_none) {
            return Freshness::Stale;
        }
        let mut current = true;
        for (s, a) in sources.iter().zip(asked.into_iter().flatten()) {
            let k = self.known[*s as usize].load(Ordering::SeqCst);
            if a > k {
                return Freshness::Ahead;
            }
            current &= a == k;
        }
        if current {
            Freshness::Current
        } else {
            Freshness::Stale
        }
    }

    /// On (re)connection: the sources changed since the last change heard (a mask; `None`: any may
    /// have, drop everything), and the versions and clock read afresh.
    pub async fn catch_up(&self, primary: &PgPool) -> Result<Option<u8>, sqlx::Error> {
        let ids: Vec<&str> = Source::ALL.iter().map(|s| s.id()).collect();
        let heard = f64::from_bits(self.heard_at.load(Ordering::SeqCst));
        type Row = (
            Option<Vec<String>>,
            sqlx::types::Json<std::collections::HashMap<String, i64>>,
            f64,
        );
        let (changed, versions, now): Row = sqlx::query_as(
            "SELECT CASE WHEN $2 > 0 THEN mk_tile_changed_since(to_timestamp($2 - $3)) END,
                    (SELECT json_object_agg(source, version) FROM mk_tile_versions($1)),
                    extract(epoch FROM clock_timestamp())::float8",
        )
        .bind(&ids)
        .bind(heard)
        .bind(MARGIN_S)
        .fetch_one(primary)
        .await?;
        for (source, version) in versions.0 {
            if let Some(s) = Source::parse(&source) {
                self.known[s as usize].store(version.max(0) as u64, Ordering::SeqCst);
            }
        }
        self.heard(0, 0, now);
        Ok(changed.map(|c| {
            c.iter()
                .filter_map(|s| Source::parse(s))
                .fold(0, |m, s| m | s.changed_with())
        }))
    }
}

/// Forget a day-old history now and then (every instance does; harmless together).
pub fn spawn_prune(primary: PgPool) {
    if tokio::runtime::Handle::try_current().is_err() {
        return;
    }
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            tick.tick().await;
            if primary.is_closed() {
                return;
            }
            match sqlx::query_scalar::<_, i64>("SELECT mk_tile_change_prune()")
                .fetch_one(&primary)
                .await
            {
                Ok(n) => tracing::debug!(pruned = n, "tile change history pruned"),
                Err(e) => tracing::debug!(error = %e, "tile change history not pruned this time"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_follow_changes() {
        let v = Versions::default();
        let (p, m) = (Source::Projects, Source::Municipalities);
        assert_eq!(v.of(&[p, m]), "0-0");
        v.heard(p.bit(), 7, 100.0);
        assert_eq!(v.of(&[p, m]), "7-0");
        assert_eq!(v.compare(&[p, m], "7-0"), Freshness::Current);
        assert_eq!(v.compare(&[p, m], "6-0"), Freshness::Stale);
        assert_eq!(v.compare(&[p, m], "8-0"), Freshness::Ahead);
        assert_eq!(v.compare(&[p], "x"), Freshness::Stale);
        assert_eq!(v.compare(&[p, m], "7"), Freshness::Stale);
        // a later change with a lower id (committed after a higher one) is still the new version
        v.heard(p.bit(), 5, 101.0);
        assert_eq!(v.compare(&[p], "5"), Freshness::Current);
        assert_eq!(f64::from_bits(v.heard_at.load(Ordering::SeqCst)), 101.0);
    }
}
