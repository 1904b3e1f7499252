//! The base under the data in the map viewer (docs/basemap.md). None set: the built-in base drawn
//! from the shipped boundaries (land, water, country outline, place names).
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::Args;
use pmtiles::{Header, TileType};

/// Where the server serves a local PMTiles basemap file (`--basemap-pmtiles`), with HTTP Range.
pub const BASEMAP_ARCHIVE_PATH: &str = "/map/basemap.pmtiles";

#[derive(Debug, Clone, Default, Args)]
pub struct BasemapArgs {
    /// Raster XYZ tile URL template, e.g. `https://tile.openstreetmap.org/{z}/{x}/{y}.png`.
    #[arg(long, env = "MOKHATTAT_BASEMAP_TILES", value_parser = xyz_template,
        conflicts_with = "basemap_style", group = "raster_base")]
    pub basemap_tiles: Option<String>,
    /// A local PMTiles basemap file, served at /map/basemap.pmtiles. A raster archive (png, jpg,
    /// webp) is drawn as it is; a vector one needs `--basemap-style` (its source may read
    /// `pmtiles:///map/basemap.pmtiles`).
    #[arg(long, env = "MOKHATTAT_BASEMAP_PMTILES", group = "raster_base")]
    pub basemap_pmtiles: Option<PathBuf>,
    /// MapLibre style URL whose sources and layers are drawn under the data.
    #[arg(long, env = "MOKHATTAT_BASEMAP_STYLE")]
    pub basemap_style: Option<String>,
    /// Attribution shown for the raster basemap (HTML allowed, as the tile provider asks).
    #[arg(long, env = "MOKHATTAT_BASEMAP_ATTRIBUTION", requires = "raster_base")]
    pub basemap_attribution: Option<String>,
    /// Highest zoom the raster tile provider serves (a PMTiles archive says its own).
    #[arg(long, env = "MOKHATTAT_BASEMAP_MAX_ZOOM", default_value_t = 19,
        value_parser = clap::value_parser!(u8).range(0..=24))]
    pub basemap_max_zoom: u8,
}

fn xyz_template(s: &str) -> Result<String, String> {
    if ["{z}", "{x}", "{y}"].iter().all(|p| s.contains(p)) {
        Ok(s.to_string())
    } else {
        Err("a raster basemap URL needs {z}, {x} and {y}".into())
    }
}

/// The basemap the viewer draws under the data, as `/map` hands it to the browser.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Basemap {
    /// Land, water and place names from the shipped data.
    #[default]
    Builtin,
    Raster {
        tiles: String,
        attribution: String,
        max_zoom: u8,
    },
    /// A raster PMTiles archive served by this server at `url`.
    Pmtiles {
        url: String,
        attribution: String,
        min_zoom: u8,
        max_zoom: u8,
    },
    Style {
        url: String,
    },
}

impl BasemapArgs {
    /// The base to draw; a PMTiles file is opened and its header read here, so a missing or
    /// unusable file stops the server at start-up with what to change.
    pub fn basemap(&self) -> anyhow::Result<Basemap> {
        let attribution = self.basemap_attribution.clone().unwrap_or_default();
        if let Some(path) = &self.basemap_pmtiles {
            let header = archive_header(path)?;
            if self.basemap_style.is_some() {
                return Ok(Basemap::Style {
                    url: self.basemap_style.clone().unwrap_or_default(),
                });
            }
            return match header.tile_type {
                TileType::Png | TileType::Jpeg | TileType::Webp | TileType::Avif => {
                    Ok(Basemap::Pmtiles {
                        url: BASEMAP_ARCHIVE_PATH.into(),
                        attribution,
                        min_zoom: header.min_zoom,
                        max_zoom: header.max_zoom,
                    })
                }
                other => bail!(
                    "MOKHATTAT_BASEMAP_PMTILES: {} holds {other:?} tiles, not raster images: a vector \
                     basemap needs a MapLibre style; set MOKHATTAT_BASEMAP_STYLE (--basemap-style) to a \
                     style whose source reads \"pmtiles://{BASEMAP_ARCHIVE_PATH}\" (docs/basemap.md)",
                    path.display()
                ),
            };
        }
        Ok(match (&self.basemap_tiles, &self.basemap_style) {
            (Some(tiles), _) => Basemap::Raster {
                tiles: tiles.clone(),
                attribution,
                max_zoom: self.basemap_max_zoom,
            },
            (None, Some(url)) => Basemap::Style { url: url.clone() },
            (None, None) => Basemap::Builtin,
        })
    }
}

/// The header of the PMTiles v3 file at `path` (its first 127 bytes).
fn archive_header(path: &Path) -> anyhow::Result<Header> {
    use std::io::Read;
    let what = || format!("MOKHATTAT_BASEMAP_PMTILES: cannot read {}", path.display());
    let mut head = Vec::with_capacity(127);
    std::fs::File::open(path)
        .with_context(what)?
        .take(127)
        .read_to_end(&mut head)
        .with_context(what)?;
    Header::try_from_bytes(head.into()).map_err(|e| {
        anyhow::anyhow!(
            "MOKHATTAT_BASEMAP_PMTILES: {} is not a PMTiles v3 archive ({e}); write one with \
             `pmtiles convert` or `mokhattat export tiles --format pmtiles`",
            path.display()
        )
    })
}
