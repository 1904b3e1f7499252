//! A local PMTiles basemap file (`MOKHATTAT_BASEMAP_PMTILES`, docs/basemap.md): the test writes a
//! raster archive itself (magenta PNG tiles over Tunis, with the `pmtiles` crate's writer), starts
//! the real binary with it, and checks in headless Chromium (no network) that the viewer reads the
//! archive by range requests and draws its colour under the data; then the Range serving over
//! HTTP (206, 416, 200) and the start-up errors (a missing file, a vector archive with no style).
use crate::common;
use crate::map_browser::{base_share, tile_png};

use common::chromium::launch;
use pmtiles::{PmTilesWriter, TileCoord, TileId, TileType};
use std::path::{Path, PathBuf};

/// Lon/lat box around Tunis, wider than the first view of the commune at both widths.
const BOX: [f64; 4] = [9.0, 36.0, 11.6, 37.6];
const MAX_ZOOM: u8 = 11;

fn tile_xy(z: u8, lon: f64, lat: f64) -> (u32, u32) {
    let n = f64::from(1u32 << z);
    let x = (lon + 180.0) / 360.0 * n;
    let r = lat.to_radians();
    let y = (1.0 - (r.tan() + 1.0 / r.cos()).ln() / std::f64::consts::PI) / 2.0 * n;
    (x as u32, y as u32)
}

/// Write a PMTiles v3 archive of `kind` tiles (the same `tile` everywhere in BOX, z0–MAX_ZOOM).
fn write_archive(path: &Path, kind: TileType, tile: &[u8]) -> usize {
    let mut coords = vec![];
    for z in 0..=MAX_ZOOM {
        let (x0, y0) = tile_xy(z, BOX[0], BOX[3]);
        let (x1, y1) = tile_xy(z, BOX[2], BOX[1]);
        for x in x0..=x1 {
            for y in y0..=y1 {
                coords.push(TileCoord::new(z, x, y).unwrap());
            }
        }
    }
    coords.sort_by_key(|c| TileId::from(*c).value());
    let file = std::fs::File::create(path).unwrap();
    let mut w = PmTilesWriter::new(kind)
        .min_zoom(0)
        .max_zoom(MAX_ZOOM)
        .bounds(BOX[0], BOX[1], BOX[2], BOX[3])
        .create(file)
        .unwrap();
    for c in &coords {
        w.add_tile(*c, tile).unwrap();
    }
    w.finalize().unwrap();
    coords.len()
}

fn archive_path(name: &str) -> PathBuf {
    common::tmp_dir().join(format!("basemap-{name}-{}.pmtiles", std::process::id()))
}

#[tokio::test]
async fn a_raster_pmtiles_file_is_the_basemap_and_is_served_by_ranges() {
    let path = archive_path("raster");
    let n = write_archive(&path, TileType::Png, &tile_png());
    assert!(n > 100, "{n} tiles written");
    let db = common::sample_db().await;
    let env = [
        ("DATABASE_URL", db.url.as_str()),
        ("MOKHATTAT_BASEMAP_PMTILES", path.to_str().unwrap()),
        ("MOKHATTAT_BASEMAP_ATTRIBUTION", "Fond PMTiles de test"),
    ];
    let srv =
        common::ServerProcess::start(&["--no-sample"], &env, std::time::Duration::from_secs(120))
            .await;
    range_requests(&srv, &std::fs::read(&path).unwrap()).await;
    for (w, h, lang) in [(1280, 800, "fr"), (390, 844, "ar")] {
        let (_chrome, mut cdp) = launch(w, h).await;
        cdp.navigate(&srv.url(&format!("/map?lang={lang}&municipality=1111")))
            .await;
        cdp.wait_rendered().await;
        let png = cdp
            .screenshot(Some(&format!("map-pmtiles-{w}x{h}-{lang}")))
            .await;
        let share = base_share(&png);
        assert!(
            share > 0.05,
            "the archive's colour is drawn ({w}, {lang}): {share}"
        );
        assert!(share < 0.98, "and the data over it ({w}, {lang}): {share}");
        assert!(cdp.screenshot_colours().await > 20, "not a flat field");
        let reads = cdp
            .eval("performance.getEntriesByType('resource').filter(e => e.name.endsWith('/map/basemap.pmtiles')).length")
            .await;
        assert!(
            reads.as_u64().unwrap() >= 1,
            "the viewer read the archive: {reads}"
        );
        let attrib = cdp
            .eval("document.querySelector('.maplibregl-ctrl-attrib-inner').textContent")
            .await;
        assert!(
            attrib.as_str().unwrap().contains("Fond PMTiles de test"),
            "{attrib}"
        );
    }
    srv.finish();
    let _ = std::fs::remove_file(&path);
}

/// The file at /map/basemap.pmtiles: one range → 206 and exactly those bytes; none → 200; a range
/// past the end, reversed, multiple or not in bytes → 416 with the length.
async fn range_requests(srv: &common::ServerProcess, file: &[u8]) {
    let http = reqwest::Client::new();
    let url = srv.url("/map/basemap.pmtiles");
    let len = file.len();
    let get = |range: Option<&str>| {
        let mut r = http.get(&url);
        if let Some(v) = range {
            r = r.header("Range", v);
        }
        r.send()
    };
    let header = |r: &reqwest::Response, h: &str| {
        r.headers()
            .get(h)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    };
    for (range, from, to) in [
        ("bytes=0-126", 0, 127),
        ("bytes=-10", len - 10, len),
        ("bytes=127-", 127, len),
        ("bytes=100-99999999", 100, len),
    ] {
        let r = get(Some(range)).await.unwrap();
        assert_eq!(r.status(), 206, "{range}");
        assert_eq!(
            header(&r, "content-range"),
            format!("bytes {from}-{}/{len}", to - 1),
            "{range}"
        );
        assert_eq!(header(&r, "accept-ranges"), "bytes");
        assert_eq!(&r.bytes().await.unwrap()[..], &file[from..to], "{range}");
    }
    let whole = get(None).await.unwrap();
    assert_eq!(whole.status(), 200);
    assert_eq!(&whole.bytes().await.unwrap()[..], file);
    for bad in [
        format!("bytes={len}-"),
        "bytes=50-10".into(),
        "bytes=0-1,5-9".into(),
        "items=0-10".into(),
        "bytes=abc".into(),
    ] {
        let r = get(Some(&bad)).await.unwrap();
        assert_eq!(r.status(), 416, "{bad}");
        assert_eq!(
            header(&r, "content-range"),
            format!("bytes */{len}"),
            "{bad}"
        );
        let text = r.text().await.unwrap();
        assert!(text.contains("bytes=START-END"), "{bad}: {text}");
    }
}

/// `serve` with `env`: it must stop before the database, saying `expected`.
fn refused(env: &[(&str, &str)], expected: &[&str]) {
    let mut cmd = std::process::Command::new(common::bin());
    cmd.args(["serve", "--no-sample", "--listen", "127.0.0.1:0"])
        // unreachable on purpose: the basemap must be refused before any connection
        .env("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert!(!out.status.success(), "{env:?} was accepted");
    let err = String::from_utf8_lossy(&out.stderr);
    for e in expected {
        assert!(err.contains(e), "{env:?}: {err}");
    }
    assert!(
        !err.contains("127.0.0.1:1"),
        "refused before the database: {err}"
    );
}

#[test]
fn a_missing_or_unusable_pmtiles_basemap_stops_the_server_at_start() {
    refused(
        &[("MOKHATTAT_BASEMAP_PMTILES", "/nonexistent/base.pmtiles")],
        &[
            "MOKHATTAT_BASEMAP_PMTILES",
            "/nonexistent/base.pmtiles",
            "No such file",
        ],
    );
    let text = archive_path("text");
    std::fs::write(&text, "not an archive").unwrap();
    refused(
        &[("MOKHATTAT_BASEMAP_PMTILES", text.to_str().unwrap())],
        &["is not a PMTiles v3 archive"],
    );
    let vector = archive_path("vector");
    write_archive(&vector, TileType::Mvt, b"\x1a\x00");
    refused(
        &[("MOKHATTAT_BASEMAP_PMTILES", vector.to_str().unwrap())],
        &["MOKHATTAT_BASEMAP_STYLE", "pmtiles:///map/basemap.pmtiles"],
    );
    refused(
        &[
            ("MOKHATTAT_BASEMAP_PMTILES", vector.to_str().unwrap()),
            ("MOKHATTAT_BASEMAP_TILES", "http://x/{z}/{x}/{y}.png"),
        ],
        &["cannot be used with"],
    );
    for f in [text, vector] {
        let _ = std::fs::remove_file(f);
    }
}
