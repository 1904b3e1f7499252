//! `mokhattat export tiles`: every tile of the chosen sources over a commune's or the country's
//! extent, rendered by the server's own `TileService::tile` for the anonymous caller (so each
//! stored tile is byte for byte the gzip body `/tiles/{sources}/{z}/{x}/{y}` serves), written to
//! an MBTiles or PMTiles archive, with a style that reads the archive next to it. Tiles where the
//! sources have nothing are never rendered (`occupied`); the others are rendered concurrently
//! and written in the archive's order (`render`).
use std::path::Path;

use serde_json::Value;
use sqlx::PgPool;

use super::{archive, occupied, render};
use crate::config::{TileArchive, TilesArgs};
use crate::tiles::{source, Source};
pub use render::Written;

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

fn sources_arg(arg: Option<&str>) -> anyhow::Result<Vec<Source>> {
    match arg {
        None => Ok(Source::ALL.to_vec()),
        Some(s) => crate::tiles::parse_layers(s).map_err(|e| anyhow::anyhow!("--sources: {e}")),
    }
}

/// The tiles to render, zoom by zoom, in the archive's order: those of the area's grid that meet
/// the sources' ground (none at a zoom below every source's minzoom), and the grid's size.
/// `progress` hears each zoom's counts.
pub async fn plan(
    pool: &PgPool,
    sources: &[Source],
    zooms: std::ops::RangeInclusive<u8>,
    bbox: [f64; 4],
    progress: &dyn Fn(String),
) -> anyhow::Result<(Vec<(u8, Vec<(u32, u32)>)>, u64)> {
    let mut ground = occupied::Ground::of(pool, sources, *zooms.end()).await?;
    let (mut plan, mut grid) = (Vec::new(), 0u64);
    let mut met: Option<Vec<(u32, u32)>> = None;
    for z in zooms {
        let all = tiles_of(z, bbox);
        grid += all.len() as u64;
        let mut tried = occupied::children(met.as_deref(), &all);
        tried.sort_by_key(|&(x, y)| archive::tile_id(z, x, y));
        let kept = ground.keep(z, &tried).await?;
        let drawn = sources.iter().any(|s| z >= s.minzoom());
        let render = if drawn { kept.clone() } else { Vec::new() };
        progress(format!(
            "z{z}: {} of the area's {} tiles to render",
            render.len(),
            all.len()
        ));
        plan.push((z, render));
        met = Some(kept);
    }
    Ok((plan, grid))
}

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
    // written beside the target and renamed at the end: a failed or interrupted run leaves no
    // partial archive, neither under the requested name nor beside it
    let name = a
        .out
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("tiles");
    let partial = a.out.with_file_name(format!(".{name}.partial"));
    let run = async {
        let say = |line: String| eprintln!("{line}");
        let (plan, grid) = plan(pool, &sources, a.minzoom..=a.maxzoom, area.bbox, &say).await?;
        let sink = archive::create(&partial, a.format, &tj)?;
        let mut w = render::render(pool, &sources, &plan, sink).await?;
        w.grid = grid;
        w.skipped = grid - w.tiles - w.empty;
        anyhow::Ok(w)
    };
    let done = tokio::select! {
        w = run => w,
        _ = interrupted() => Err(anyhow::anyhow!("interrupted: no archive written")),
    };
    let w = match done {
        Ok(w) => w,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    std::fs::rename(&partial, &a.out)?;
    write_style(&a.out, a.format, &a.base_url)?;
    Ok(w)
}

/// Resolves on Ctrl-C or SIGTERM (never if neither can be listened to).
async fn interrupted() {
    let int = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await
        }
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = int => {},
        _ = term => {},
    }
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
