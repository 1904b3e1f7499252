//! `mokhattat export tiles`: every tile of the chosen sources over a commune's or the country's
//! extent, rendered by the server's own `TileService::tile` for the anonymous caller (so each
//! stored tile is byte for byte the gzip body `/tiles/{sources}/{z}/{x}/{y}` serves), written to
//! an MBTiles or PMTiles archive, with a style that reads the archive next to it.
use std::{collections::HashMap, path::Path, sync::Arc};

use serde_json::Value;
use sqlx::PgPool;

use super::archive;
use crate::config::{TileArchive, TilesArgs};
use crate::tiles::{source, Source, TileFilters, TileScope, TileService};

/// Tiles asked of the database at once.
const PARALLEL: usize = 8;

/// The tiles of zoom `z` covering `bbox` (lon/lat), in the archive's order (tile id).
pub fn tiles_of(z: u8, bbox: [f64; 4]) -> Vec<(u32, u32)> {
    let n = f64::from(1u32 << z);
    let max = (1u32 << z) - 1;
    let col = |lon: f64| (((lon + 180.0) / 360.0 * n).floor().max(0.0) as u32).min(max);
    let row = |lat: f64| {
        let r = lat.clamp(-85.0511, 85.0511).to_radians();
        let y = (1.0 - (r.tan() + 1.0 / r.cos()).ln() / std::f64::consts::PI) / 2.0 * n;
        (y.floor().max(0.0) as u32).min(max)
    };
    let mut out: Vec<(u32, u32)> = (col(bbox[0])..=col(bbox[2]))
        .flat_map(|x| (row(bbox[3])..=row(bbox[1])).map(move |y| (x, y)))
        .collect();
    out.sort_by_key(|&(x, y)| archive::tile_id(z, x, y));
    out
}

pub struct Written {
    pub tiles: u64,
    pub empty: u64,
    pub bytes: u64,
}

fn sources_arg(arg: Option<&str>) -> anyhow::Result<Vec<Source>> {
    match arg {
        None => Ok(Source::ALL.to_vec()),
        Some(s) => crate::tiles::parse_layers(s).map_err(|e| anyhow::anyhow!("--sources: {e}")),
    }
}

// size: checks, then one loop over zooms and batches of tiles, with the progress line
pub async fn export(pool: &PgPool, a: &TilesArgs) -> anyhow::Result<Written> {
    anyhow::ensure!(
        a.minzoom <= a.maxzoom && a.maxzoom <= source::MAX_SERVED_ZOOM,
        "--minzoom {} --maxzoom {}: zooms go from 0 to {} and minzoom may not exceed maxzoom",
        a.minzoom,
        a.maxzoom,
        source::MAX_SERVED_ZOOM
    );
    let sources = sources_arg(a.sources.as_deref())?;
    let area = super::area::find(
        pool,
        a.municipality.as_deref().unwrap_or(super::area::NATIONAL),
    )
    .await
    .map_err(|e| anyhow::anyhow!("--municipality: {e}"))?;
    let mut tj = crate::tiles::tilejson_value(&a.base_url, &sources, None);
    tj["minzoom"] = a.minzoom.into();
    tj["maxzoom"] = a.maxzoom.into();
    tj["bounds"] = serde_json::json!(area.bbox);
    // written beside the target and renamed at the end: a failed run leaves no partial archive
    let name = a
        .out
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("tiles");
    let partial = a.out.with_file_name(format!(".{name}.partial"));
    let mut sink = archive::create(&partial, a.format, &tj)?;
    let svc = TileService::new(
        crate::db::replicas::Reads::new(pool.clone(), Vec::new()),
        16 * 1024 * 1024,
    );
    let filters = Arc::new(TileFilters::parse(&HashMap::new(), &sources)?);
    let sources = Arc::new(sources);
    let mut w = Written {
        tiles: 0,
        empty: 0,
        bytes: 0,
    };
    let total: usize = (a.minzoom..=a.maxzoom)
        .map(|z| tiles_of(z, area.bbox).len())
        .sum();
    let bar = indicatif::ProgressBar::new(total as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} tiles, z{msg}, {per_sec}, eta {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    for z in a.minzoom..=a.maxzoom {
        bar.set_message(z.to_string());
        for batch in tiles_of(z, area.bbox).chunks(PARALLEL * 32) {
            let sem = Arc::new(tokio::sync::Semaphore::new(PARALLEL));
            let mut set = tokio::task::JoinSet::new();
            for (i, &(x, y)) in batch.iter().enumerate() {
                let (svc, sources, filters, sem) =
                    (svc.clone(), sources.clone(), filters.clone(), sem.clone());
                set.spawn(async move {
                    let _permit = sem.acquire_owned().await;
                    let t = svc
                        .tile(&sources, z, x, y, &filters, &TileScope::anonymous())
                        .await;
                    (i, t)
                });
            }
            let mut got = vec![None; batch.len()];
            while let Some(r) = set.join_next().await {
                let (i, t) = r?;
                got[i] = Some(t?);
            }
            for (&(x, y), t) in batch.iter().zip(got) {
                let Some(t) = t else { continue };
                if t.raw.is_empty() {
                    w.empty += 1;
                } else {
                    sink.add(z, x, y, &t.gz)?;
                    w.tiles += 1;
                    w.bytes += t.gz.len() as u64;
                }
            }
            bar.inc(batch.len() as u64);
        }
    }
    sink.finish()?;
    std::fs::rename(&partial, &a.out)?;
    bar.finish_and_clear();
    write_style(&a.out, a.format, &a.base_url)?;
    Ok(w)
}

/// The planning style (QGIS-safe one for MBTiles) with every source reading the archive; glyphs
/// and sprites stay on `base` (a server reachable when online; labels need them).
pub fn style(file_name: &str, format: TileArchive, base: &str) -> Value {
    let template = match format {
        TileArchive::Pmtiles => include_str!("../../styles/planning.json"),
        TileArchive::Mbtiles => include_str!("../../styles/planning-qgis.json"),
    };
    let text = crate::tiles::styles::render(template, base.trim_end_matches('/'), "fr");
    let mut style: Value = serde_json::from_str(&text).unwrap_or_default();
    let url = match format {
        TileArchive::Pmtiles => format!("pmtiles://{file_name}"),
        TileArchive::Mbtiles => format!("mbtiles://{file_name}"),
    };
    if let Some(sources) = style["sources"].as_object_mut() {
        for s in sources.values_mut().filter(|s| s["type"] == "vector") {
            s["url"] = Value::String(url.clone());
        }
    }
    style
}

fn write_style(out: &Path, format: TileArchive, base: &str) -> anyhow::Result<()> {
    let name = out.file_name().and_then(|n| n.to_str()).unwrap_or("tiles");
    let path = out.with_extension("style.json");
    let text = serde_json::to_string_pretty(&style(name, format, base))?;
    std::fs::write(&path, text)?;
    if let TileArchive::Mbtiles = format {
        let db = rusqlite::Connection::open(out)?;
        db.execute(
            "INSERT INTO metadata VALUES ('style', ?1)",
            [serde_json::to_string(&style(name, format, base))?],
        )?;
    }
    Ok(())
}
