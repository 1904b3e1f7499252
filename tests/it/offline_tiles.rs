//! Offline tile archives (issue 13 item 5, docs/offline.md): the real binary writes them; a
//! PMTiles archive is read back here from its header and directories (independently of the
//! writer) and a tile compared with the one the server serves; an MBTiles opened by headless QGIS.
use crate::common;

use std::{io::Read, path::Path};

use serde_json::Value;

fn varint(b: &[u8], i: &mut usize) -> u64 {
    let (mut v, mut shift) = (0u64, 0);
    loop {
        let byte = b[*i];
        *i += 1;
        v |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return v;
        }
        shift += 7;
    }
}

pub fn gunzip(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(b)
        .read_to_end(&mut out)
        .expect("gzip");
    out
}

/// A PMTiles v3 directory: (tile id, offset, length, run length), per the spec's column layout.
fn directory(b: &[u8]) -> Vec<(u64, u64, u64, u64)> {
    let mut i = 0;
    let n = varint(b, &mut i) as usize;
    let mut ids = Vec::with_capacity(n);
    let mut last = 0;
    for _ in 0..n {
        last += varint(b, &mut i);
        ids.push(last);
    }
    let runs: Vec<u64> = (0..n).map(|_| varint(b, &mut i)).collect();
    let lens: Vec<u64> = (0..n).map(|_| varint(b, &mut i)).collect();
    let mut offs: Vec<u64> = Vec::with_capacity(n);
    for k in 0..n {
        let v = varint(b, &mut i);
        offs.push(if v == 0 && k > 0 {
            offs[k - 1] + lens[k - 1]
        } else {
            v - 1
        });
    }
    assert_eq!(i, b.len(), "the directory is read to its end");
    (0..n)
        .map(|k| (ids[k], offs[k], lens[k], runs[k]))
        .collect()
}

pub struct Archive {
    bytes: Vec<u8>,
    root: Vec<(u64, u64, u64, u64)>,
    leaf_offset: u64,
    data_offset: u64,
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().unwrap())
}

pub fn open(path: &Path) -> Archive {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(&bytes[..7], b"PMTiles", "magic");
    assert_eq!(bytes[7], 3, "version 3");
    let (root_off, root_len) = (u64_at(&bytes, 8) as usize, u64_at(&bytes, 16) as usize);
    assert_eq!(
        root_off, 127,
        "the root directory follows the 127-byte header"
    );
    assert_eq!(bytes[97], 2, "internal compression gzip");
    assert_eq!(bytes[98], 2, "tile compression gzip");
    assert_eq!(bytes[99], 1, "tile type MVT");
    assert_eq!(bytes[96], 1, "clustered");
    let root = directory(&gunzip(&bytes[root_off..root_off + root_len]));
    assert!(
        root.windows(2).all(|w| w[0].0 < w[1].0),
        "tile ids increase"
    );
    Archive {
        leaf_offset: u64_at(&bytes, 40),
        data_offset: u64_at(&bytes, 56),
        bytes,
        root,
    }
}

impl Archive {
    /// Every (tile id, gzipped bytes) entry, leaf directories followed.
    pub fn tiles(&self) -> Vec<(u64, Vec<u8>)> {
        let mut out = Vec::new();
        for &(id, off, len, run) in &self.root {
            if run == 0 {
                let at = (self.leaf_offset + off) as usize;
                for (lid, loff, llen, lrun) in
                    directory(&gunzip(&self.bytes[at..at + len as usize]))
                {
                    assert!(lrun >= 1);
                    let at = (self.data_offset + loff) as usize;
                    out.push((lid, self.bytes[at..at + llen as usize].to_vec()));
                }
            } else {
                let at = (self.data_offset + off) as usize;
                for r in 0..run {
                    out.push((id + r, self.bytes[at..at + len as usize].to_vec()));
                }
            }
        }
        out
    }
}

/// `mokhattat export tiles` of Tunis into `dir`: the archive's path and the command's output.
async fn export_tunis(
    db: &common::TestDb,
    dir: &Path,
    format: &str,
    minzoom: u8,
    maxzoom: u8,
) -> (std::path::PathBuf, std::process::Output) {
    let out = dir.join(format!("tunis.{format}"));
    let args = format!("export tiles --format {format} --municipality 1111 --minzoom {minzoom} --maxzoom {maxzoom} --out");
    let mut args: Vec<&str> = args.split(' ').collect();
    args.push(out.to_str().unwrap());
    let run = common::cli(db, &args).await;
    common::ok_stdout(&run);
    (out, run)
}

pub fn tile_id(z: u8, x: u32, y: u32) -> u64 {
    pmtiles::TileId::from(pmtiles::TileCoord::new(z, x, y).unwrap()).value()
}

#[tokio::test]
async fn a_pmtiles_archive_is_valid_and_holds_the_served_tiles() {
    let (db, srv) = common::sample_server().await;
    let dir = common::scratch("offline-");
    let (out, run) = export_tunis(&db, dir.path(), "pmtiles", 8, 12).await;
    assert!(String::from_utf8_lossy(&run.stderr).contains("tiles/s"));
    let a = open(&out);
    let tiles = a.tiles();
    assert!(
        tiles.len() >= 5,
        "one tile a zoom at least: {}",
        tiles.len()
    );
    assert!(
        tiles.windows(2).all(|w| w[0].0 < w[1].0),
        "every tile once, in order"
    );
    let all = mokhattat::tiles::Source::ALL.map(|s| s.id()).join(",");
    // Tunis at z12 and z8, as the server serves them anonymously
    for (z, x, y) in [(12, 2163, 1597), (8, 135, 99)] {
        let want = srv.get(&format!("/tiles/{all}/{z}/{x}/{y}.pbf")).await;
        assert_eq!(want.status(), 200);
        let want = want.bytes().await.unwrap();
        let got = tiles
            .iter()
            .find(|t| t.0 == tile_id(z, x, y))
            .expect("the tile is in the archive");
        assert_eq!(gunzip(&got.1), want.to_vec(), "{z}/{x}/{y}");
    }
    let style: Value =
        serde_json::from_slice(&std::fs::read(out.with_extension("style.json")).unwrap()).unwrap();
    assert_eq!(
        style["sources"]["mokhattat"]["url"],
        "pmtiles://tunis.pmtiles"
    );
    let bad = common::cli(
        &db,
        &[
            "export",
            "tiles",
            "--format",
            "pmtiles",
            "--sources",
            "roads",
            "--out",
            out.to_str().unwrap(),
        ],
    )
    .await;
    assert!(!bad.status.success() && String::from_utf8_lossy(&bad.stderr).contains("roads"));
}

#[tokio::test]
async fn an_mbtiles_archive_renders_in_headless_qgis_offline() {
    let db = common::sample_db().await;
    let dir = common::scratch("offline-");
    let (out, _) = export_tunis(&db, dir.path(), "mbtiles", 9, 12).await;
    let png = common::root().join("target/screenshots/offline-mbtiles-qgis.png");
    std::fs::create_dir_all(png.parent().unwrap()).unwrap();
    // offline: no server runs, the archive and its style are files
    let style = out.with_extension("style.json");
    let uri = format!("type=mbtiles&url={}", out.display());
    let v = common::qgis::render(&uri, style.to_str().unwrap(), &png).await;
    let rendered = v["valid"] == true && v["converted"] == true;
    assert!(
        rendered && v["colours"].as_u64() > Some(20),
        "a valid layer, a non-blank image: {v}"
    );
    let db_file = rusqlite::Connection::open(&out).unwrap();
    let (n, fmt): (i64, String) = db_file
        .query_row("SELECT (SELECT count(*) FROM tiles), (SELECT value FROM metadata WHERE name = 'format')", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert!(n > 4 && fmt == "pbf", "{n} {fmt}");
}

/// A static server for one file that answers `Range` requests with CORS (what a CDN or object
/// store does for a PMTiles archive); counts the ranges it served.
async fn range_server(bytes: Vec<u8>) -> (u16, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let served = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (bytes, count) = (std::sync::Arc::new(bytes), served.clone());
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            let (bytes, count) = (bytes.clone(), count.clone());
            tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                let n = s.read(&mut buf).await.unwrap_or(0);
                let req = String::from_utf8_lossy(&buf[..n]).to_lowercase();
                let cors = "access-control-allow-origin: *\r\naccess-control-allow-headers: range, if-match\r\naccess-control-expose-headers: etag, content-range\r\n";
                if req.starts_with("options") {
                    let _ = s.write_all(format!("HTTP/1.1 204 No Content\r\n{cors}content-length: 0\r\nconnection: close\r\n\r\n").as_bytes()).await;
                    return;
                }
                let range = req
                    .lines()
                    .find_map(|l| l.strip_prefix("range: bytes="))
                    .and_then(|r| {
                        let (a, b) = r.trim().split_once('-')?;
                        Some((a.parse::<usize>().ok()?, b.parse::<usize>().ok()?))
                    });
                let (a, b) = range.unwrap_or((0, bytes.len() - 1));
                let b = b.min(bytes.len() - 1);
                count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let head = format!(
                    "HTTP/1.1 206 Partial Content\r\n{cors}content-type: application/octet-stream\r\ncontent-range: bytes {a}-{b}/{}\r\ncontent-length: {}\r\netag: \"archive\"\r\nconnection: close\r\n\r\n",
                    bytes.len(), b + 1 - a
                );
                let _ = s.write_all(head.as_bytes()).await;
                let _ = s.write_all(&bytes[a..=b]).await;
            });
        }
    });
    (port, served)
}

#[tokio::test]
async fn the_viewer_draws_a_pmtiles_archive() {
    let (db, srv) = common::sample_server().await;
    let dir = common::scratch("offline-");
    let (out, _) = export_tunis(&db, dir.path(), "pmtiles", 0, 13).await;
    let (port, served) = range_server(std::fs::read(&out).unwrap()).await;
    let (_chrome, mut cdp) = common::chromium::launch(900, 600).await;
    let archive = format!("http://127.0.0.1:{port}/tunis.pmtiles");
    cdp.navigate(&srv.url(&format!(
        "/map?municipality=1111&pmtiles={}",
        common::enc(&archive)
    )))
    .await;
    let s = cdp.wait_rendered().await;
    assert!(s["renderedFeatures"].as_u64().unwrap() > 0, "{s}");
    assert_eq!(
        cdp.eval("window.__mokhattatOffline.pmtiles").await,
        archive.as_str()
    );
    let tiles_from_server = cdp
        .eval("performance.getEntriesByType('resource').filter(e => /\\/tiles\\/.*\\.pbf/.test(e.name)).length")
        .await;
    assert_eq!(
        tiles_from_server, 0,
        "no tile came from the server's /tiles"
    );
    assert!(
        served.load(std::sync::atomic::Ordering::SeqCst) >= 2,
        "header, directory and tiles read by range"
    );
    cdp.save_screenshot("offline-pmtiles-viewer").await;
}
