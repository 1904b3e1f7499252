//! `mokhattat export iati|pack|tiles` (IATI is `iati::cli`'s).
use std::time::Instant;

use sqlx::PgPool;

use crate::config::{ExportCommand, PackArgs, TilesArgs};

pub async fn run(pool: &PgPool, command: ExportCommand) -> anyhow::Result<()> {
    match command {
        ExportCommand::Iati(a) => crate::iati::cli::run_export(pool, a).await,
        ExportCommand::Pack(a) => pack(pool, a).await,
        ExportCommand::Tiles(a) => tiles(pool, a).await,
    }
}

async fn pack(pool: &PgPool, a: PackArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let area = super::area::find(pool, &a.municipality)
        .await
        .map_err(|e| anyhow::anyhow!("--municipality: {e}"))?;
    eprintln!("pack of {} ({}):", area.name_fr, area.code);
    let progress = |what: &str, n: usize| eprintln!("  {what}: {n}");
    let bytes = super::build::build(pool, &area, &progress).await?;
    let out = a
        .out
        .unwrap_or_else(|| format!("mokhattat-pack-{}.zip", area.code).into());
    tokio::fs::write(&out, &bytes).await?;
    eprintln!(
        "wrote {} ({} bytes) in {:.1} s",
        out.display(),
        bytes.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn tiles(pool: &PgPool, a: TilesArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let w = super::tiles::export(pool, &a).await?;
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "wrote {}: {} tiles ({} empty, not stored; {} of the area's {} not rendered: nothing there), {} bytes of tiles, in {secs:.1} s ({:.0} tiles/s rendered, {:.0} tiles/s of the area); style: {}",
        a.out.display(),
        w.tiles,
        w.empty,
        w.skipped,
        w.grid,
        w.bytes,
        (w.tiles + w.empty) as f64 / secs.max(1e-9),
        w.grid as f64 / secs.max(1e-9),
        a.out.with_extension("style.json").display()
    );
    Ok(())
}
