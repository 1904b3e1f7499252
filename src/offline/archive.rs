//! Tile archives: MBTiles (SQLite, TMS rows, gzipped MVT, the TileJSON in `metadata`) and
//! PMTiles v3 (the `pmtiles` crate's writer; tiles added in tile-id order, already gzipped).
use std::{fs::File, io::BufWriter, path::Path};

use pmtiles::{Compression, PmTilesStreamWriter, PmTilesWriter, TileCoord, TileType};
use serde_json::Value;

use crate::config::TileArchive;

pub enum Sink {
    Mbtiles(rusqlite::Connection),
    Pmtiles(Box<PmTilesStreamWriter<BufWriter<File>>>),
}

fn sq(e: rusqlite::Error) -> anyhow::Error {
    anyhow::anyhow!("writing the MBTiles: {e}")
}

fn pm(e: pmtiles::PmtError) -> anyhow::Error {
    anyhow::anyhow!("writing the PMTiles: {e}")
}

/// Open `path` (replaced if it exists) for tiles described by `tilejson` (bounds, zooms, layers).
pub fn create(path: &Path, format: TileArchive, tilejson: &Value) -> anyhow::Result<Sink> {
    if path.exists() {
        std::fs::remove_file(path)?;
    }
    let f = |k: &str| tilejson[k].as_f64().unwrap_or_default();
    let b = &tilejson["bounds"];
    let bound = |i: usize| b[i].as_f64().unwrap_or_default();
    match format {
        TileArchive::Mbtiles => {
            let db = rusqlite::Connection::open(path).map_err(sq)?;
            db.execute_batch(
                "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
                 CREATE TABLE metadata (name text, value text);
                 CREATE TABLE tiles (zoom_level integer, tile_column integer, tile_row integer, tile_data blob);
                 CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);
                 BEGIN;",
            )
            .map_err(sq)?;
            let c = &tilejson["center"];
            let meta = [
                (
                    "name",
                    tilejson["name"].as_str().unwrap_or("mokhattat").to_string(),
                ),
                ("format", "pbf".into()),
                ("type", "overlay".into()),
                ("version", "1.0.0".into()),
                (
                    "description",
                    tilejson["description"].as_str().unwrap_or("").into(),
                ),
                (
                    "attribution",
                    tilejson["attribution"].as_str().unwrap_or("").into(),
                ),
                ("minzoom", f("minzoom").to_string()),
                ("maxzoom", f("maxzoom").to_string()),
                (
                    "bounds",
                    format!("{},{},{},{}", bound(0), bound(1), bound(2), bound(3)),
                ),
                ("center", format!("{},{},{}", c[0], c[1], c[2])),
                ("json", tilejson["json"].as_str().unwrap_or("{}").into()),
            ];
            for (k, v) in meta {
                db.execute("INSERT INTO metadata VALUES (?1, ?2)", (k, v))
                    .map_err(sq)?;
            }
            Ok(Sink::Mbtiles(db))
        }
        TileArchive::Pmtiles => {
            let file = BufWriter::new(File::create(path)?);
            let w = PmTilesWriter::new(TileType::Mvt)
                .precompressed(Compression::Gzip)
                .internal_compression(Compression::Gzip)
                .min_zoom(f("minzoom") as u8)
                .max_zoom(f("maxzoom") as u8)
                .bounds(bound(0), bound(1), bound(2), bound(3))
                .center((bound(0) + bound(2)) / 2.0, (bound(1) + bound(3)) / 2.0)
                .center_zoom(f("minzoom") as u8)
                .metadata(tilejson.to_string())
                .create(file)
                .map_err(pm)?;
            Ok(Sink::Pmtiles(Box::new(w)))
        }
    }
}

impl Sink {
    /// One gzipped tile; PMTiles needs increasing tile ids (the caller sorts).
    pub fn add(&mut self, z: u8, x: u32, y: u32, gz: &[u8]) -> anyhow::Result<()> {
        match self {
            Sink::Mbtiles(db) => {
                let row = (1u32 << z) - 1 - y;
                db.execute("INSERT INTO tiles VALUES (?1, ?2, ?3, ?4)", (z, x, row, gz))
                    .map_err(sq)?;
            }
            Sink::Pmtiles(w) => w
                .add_tile(TileCoord::new(z, x, y).map_err(pm)?, gz)
                .map_err(pm)?,
        }
        Ok(())
    }

    pub fn finish(self) -> anyhow::Result<()> {
        match self {
            Sink::Mbtiles(db) => db.execute_batch("COMMIT;").map_err(sq),
            Sink::Pmtiles(w) => w.finalize().map_err(pm),
        }
    }
}

/// The tile id of z/x/y (PMTiles' Hilbert order), for sorting.
pub fn tile_id(z: u8, x: u32, y: u32) -> u64 {
    TileCoord::new(z, x, y)
        .map(|c| pmtiles::TileId::from(c).value())
        .unwrap_or(u64::MAX)
}
