//! The arguments of `mokhattat export …` (IATI: `iati::cli`; packs and tiles: `offline::cli`).
use std::path::PathBuf;

use clap::{Args, Subcommand};

/// `mokhattat export …` (run by `iati::cli` and `offline::cli`).
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// IATI 2.03 activity XML of the public projects (or one project, a funder's, a commune's).
    Iati(IatiExportArgs),
    /// Open-data pack of a commune (or `TN`, the country): GeoPackage, CSVs, IATI, metadata, README.
    Pack(PackArgs),
    /// Offline vector tiles (MBTiles or PMTiles) of a commune or the country, with a style.
    Tiles(TilesArgs),
}

#[derive(Debug, Clone, Args)]
pub struct PackArgs {
    /// Official code of the commune (e.g. 1111), or TN for the whole country.
    #[arg(long, value_name = "CODE")]
    pub municipality: String,
    /// The zip to write (default: mokhattat-pack-CODE.zip).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TileArchive {
    Mbtiles,
    Pmtiles,
}

#[derive(Debug, Clone, Args)]
pub struct TilesArgs {
    #[arg(long, value_enum)]
    pub format: TileArchive,
    /// Only this commune's extent (official code); default: the whole country.
    #[arg(long, value_name = "CODE")]
    pub municipality: Option<String>,
    #[arg(long, default_value_t = 0)]
    pub minzoom: u8,
    #[arg(long, default_value_t = 14)]
    pub maxzoom: u8,
    /// Tile sources, comma-separated (default: every source).
    #[arg(long, value_name = "a,b")]
    pub sources: Option<String>,
    /// Base URL the written style takes glyphs and sprites from.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    pub base_url: String,
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct IatiExportArgs {
    /// Only this project (its code).
    #[arg(long)]
    pub project: Option<String>,
    /// Only this partner's portfolio: projects of this partner or funded by this funder.
    #[arg(long)]
    pub funder: Option<String>,
    /// Only the projects assigned to this municipality (official code).
    #[arg(long, value_name = "CODE")]
    pub municipality: Option<String>,
    /// Write here instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}
