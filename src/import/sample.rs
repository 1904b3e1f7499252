//! Loading the sample data set through the importer, from `sample-data/manifest.json`:
//!
//! ```json
//! {"imports": [{"args": ["governorates.geojson", "--as", "governorates", "--source", "…"]}, …]}
//! ```
//!
//! Each `args` is exactly what follows `mokhattat import` on the command line, with the path
//! relative to the sample directory; it is parsed by the same clap definition. All entries are
//! imported in one transaction, in order: the sample loads completely or not at all.
use std::{path::Path, time::Instant};

use clap::Parser;
use serde::Deserialize;
use sqlx::PgPool;

use super::{read_source, write, ImportArgs, ImportError, Progress, Summary};

#[derive(Deserialize)]
struct Manifest {
    imports: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    args: Vec<String>,
}

#[derive(Parser)]
#[command(name = "import", no_binary_name = true)]
struct ManifestEntry {
    #[command(flatten)]
    args: ImportArgs,
}

/// Parse a manifest into import arguments with paths resolved against `dir`.
pub fn parse_manifest(dir: &Path) -> Result<Vec<ImportArgs>, ImportError> {
    let path = dir.join("manifest.json");
    let bad = |reason: String| ImportError::Manifest {
        path: path.clone(),
        reason,
    };
    let text = std::fs::read_to_string(&path).map_err(|e| bad(e.to_string()))?;
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
    manifest
        .imports
        .into_iter()
        .enumerate()
        .map(|(i, e)| {
            let mut args = ManifestEntry::try_parse_from(&e.args)
                .map_err(|err| bad(format!("entry {} {:?}: {}", i + 1, e.args, err.render())))?
                .args;
            if args.dry_run {
                return Err(bad(format!(
                    "entry {}: --dry-run has no place in a manifest",
                    i + 1
                )));
            }
            if args.path.is_relative() {
                args.path = dir.join(&args.path);
            }
            Ok(args)
        })
        .collect()
}

/// Load the sample when the database has no administrative unit yet. A missing manifest is a
/// warning, not an error (the server then starts empty).
pub async fn load_sample_if_empty(pool: &PgPool, dir: &Path) -> anyhow::Result<()> {
    let has_units: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM admin_unit)")
        .fetch_one(pool)
        .await?;
    if has_units {
        tracing::debug!("the database already holds units; sample data not loaded");
        return Ok(());
    }
    if !dir.join("manifest.json").exists() {
        tracing::warn!(dir = %dir.display(), "no sample manifest (manifest.json) found; starting with an empty database");
        return Ok(());
    }
    load_sample(pool, dir).await?;
    Ok(())
}

/// Import every manifest entry, in order, in one transaction. Reading the next file overlaps
/// with writing the current one.
pub async fn load_sample(pool: &PgPool, dir: &Path) -> Result<Vec<Summary>, ImportError> {
    let started = Instant::now();
    let entries = parse_manifest(dir)?;
    let mut tx = pool.begin().await?;
    // Two servers starting on the same empty database: the second waits, then finds it loaded.
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('mokhattat-sample-load'))")
        .execute(&mut *tx)
        .await?;
    let loaded: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM admin_unit)")
        .fetch_one(&mut *tx)
        .await?;
    if loaded {
        return Ok(vec![]);
    }
    let spawn_read =
        |args: ImportArgs| tokio::spawn(async move { read_source(&args, Progress::Hidden).await });
    let mut pending = entries.first().cloned().map(spawn_read);
    let mut summaries = Vec::with_capacity(entries.len());
    for (i, args) in entries.iter().enumerate() {
        let t = Instant::now();
        let task = pending.take().ok_or(ImportError::NoReadTask)?;
        let source = task.await??;
        pending = entries.get(i + 1).cloned().map(spawn_read);
        let mut summary = write(&mut tx, args, source, Progress::Hidden).await?;
        summary.elapsed = t.elapsed();
        tracing::info!(
            "sample import {}/{}: {}",
            i + 1,
            entries.len(),
            summary.line()
        );
        summaries.push(summary);
    }
    tx.commit().await?;
    super::refresh_statistics(pool).await;
    tracing::info!(
        imports = summaries.len(),
        "sample data loaded in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(summaries)
}
