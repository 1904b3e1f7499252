//! Rendering an archive's tiles: each by `TileService::tile` (the code `/tiles` runs, so the
//! bytes are the served ones), a bounded number at once, each in a task of its own (the
//! database works on several tiles while gzip runs on every core), and written in the plan's
//! order (PMTiles' clustered layout wants increasing tile ids) as they come back in that order.
use std::{
    collections::{HashMap, VecDeque},
    sync::Arc,
};

use sqlx::PgPool;

use super::archive::Sink;
use crate::tiles::{Source, TileFilters, TileScope, TileService};

/// What an export wrote.
#[derive(Debug, Default)]
pub struct Written {
    /// Tiles of the area's grid, every zoom.
    pub grid: u64,
    /// Rendered and stored (non-empty).
    pub tiles: u64,
    /// Rendered and found empty (not stored).
    pub empty: u64,
    /// Not rendered: the chosen sources have nothing there (`occupied`).
    pub skipped: u64,
    pub bytes: u64,
}

/// At most this many tiles asked of the database at once (fewer if the pool is smaller).
const MAX_PARALLEL: usize = 8;

/// The tiles of `plan` (zoom, tiles in tile-id order), rendered and added to `sink`, which is
/// finished; the empty ones are counted, not stored.
pub async fn render(
    pool: &PgPool,
    sources: &[Source],
    plan: &[(u8, Vec<(u32, u32)>)],
    mut sink: Sink,
) -> anyhow::Result<Written> {
    // two connections stay free: the tile service's change listener and the plan's session
    let parallel = (pool.options().get_max_connections() as usize)
        .saturating_sub(2)
        .clamp(1, MAX_PARALLEL);
    let svc = TileService::new(crate::db::replicas::Reads::new(pool.clone(), Vec::new()), 0);
    let filters = Arc::new(TileFilters::parse(&HashMap::new(), sources)?);
    let sources: Arc<[Source]> = sources.into();
    let total: usize = plan.iter().map(|(_, t)| t.len()).sum();
    let bar = progress(total as u64);
    let all = plan
        .iter()
        .flat_map(|(z, tiles)| tiles.iter().map(move |&(x, y)| (*z, x, y)));
    // up to 4 × `parallel` tiles spawned ahead (in order), `parallel` of them on the database
    let permits = Arc::new(tokio::sync::Semaphore::new(parallel));
    let mut all = all.map(|(z, x, y)| {
        let (svc, sources, filters) = (svc.clone(), sources.clone(), filters.clone());
        let permits = permits.clone();
        tokio::spawn(async move {
            let _permit = permits.acquire_owned().await;
            let t = svc
                .tile(&sources, z, x, y, &filters, &TileScope::anonymous())
                .await;
            (z, x, y, t)
        })
    });
    let mut ahead: VecDeque<_> = all.by_ref().take(4 * parallel).collect();
    let mut w = Written::default();
    let mut zoom = None;
    while let Some(next) = ahead.pop_front() {
        ahead.extend(all.next());
        let done = next.await;
        let (z, x, y, t) = done?;
        let t = t?;
        if zoom != Some(z) {
            zoom = Some(z);
            bar.set_message(z.to_string());
        }
        if t.raw.is_empty() {
            w.empty += 1;
        } else {
            sink.add(z, x, y, &t.gz)?;
            w.tiles += 1;
            w.bytes += t.gz.len() as u64;
        }
        bar.inc(1);
    }
    sink.finish()?;
    bar.finish_and_clear();
    Ok(w)
}

/// The progress bar on a terminal (tiles, zoom, rate, ETA); without one, a line every 10 s.
fn progress(total: u64) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} tiles, z{msg}, {per_sec}, eta {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    if bar.is_hidden() {
        let b = bar.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(10));
            tick.tick().await;
            while !b.is_finished() {
                tick.tick().await;
                if !b.is_finished() {
                    eprintln!(
                        "{}/{} tiles rendered, {:.0} tiles/s",
                        b.position(),
                        total,
                        b.per_sec()
                    );
                }
            }
        });
    }
    bar
}
