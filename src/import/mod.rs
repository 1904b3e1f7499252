//! GDAL ingestion of any OGR source into Mokhattat.
use std::path::{Path, PathBuf};

use clap::Args;
use sqlx::PgPool;

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// File or data source to read (anything GDAL/OGR opens).
    pub path: PathBuf,
}

pub async fn run_cli(_pool: &PgPool, _args: &ImportArgs) -> anyhow::Result<()> {
    anyhow::bail!("not yet available")
}

pub async fn load_sample_if_empty(_pool: &PgPool, _dir: &Path) -> anyhow::Result<()> {
    Ok(())
}
