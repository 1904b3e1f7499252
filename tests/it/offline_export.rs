//! The fast tile export (docs/offline.md, "Offline tiles"): tiles where the sources have nothing
//! are never rendered, and that never drops a tile the server serves non-empty; an interrupted
//! export leaves no archive behind, and an archive already at the destination untouched.
use crate::common;
use crate::offline_tiles::{gunzip, open, tile_id};

use std::collections::BTreeMap;

/// Every tile of a commune's grid over `zooms`, asked of the server: the non-empty ones (tile id →
/// the served MVT bytes).
async fn served(
    srv: &common::TestServer,
    sources: &str,
    zooms: std::ops::RangeInclusive<u8>,
    bbox: [f64; 4],
) -> (BTreeMap<u64, Vec<u8>>, usize) {
    let (mut out, mut grid) = (BTreeMap::new(), 0);
    for z in zooms {
        for (x, y) in mokhattat::offline::tiles::tiles_of(z, bbox) {
            grid += 1;
            let r = srv.get(&format!("/tiles/{sources}/{z}/{x}/{y}.pbf")).await;
            match r.status().as_u16() {
                200 => {
                    let body = r.bytes().await.unwrap().to_vec();
                    assert!(!body.is_empty(), "{z}/{x}/{y}: a 200 has a body");
                    out.insert(tile_id(z, x, y), body);
                }
                204 => {}
                s => panic!("{z}/{x}/{y}: {s}"),
            }
        }
    }
    (out, grid)
}

/// The export of commune `code` for `sources` over `zooms` holds exactly the tiles the server
/// serves non-empty, byte for byte, and skipped some tiles without rendering them.
async fn exact_set(code: &str, sources: &str, zooms: std::ops::RangeInclusive<u8>) {
    let (db, srv) = common::sample_server().await;
    let area = mokhattat::offline::area::find(&db.pool, code)
        .await
        .unwrap();
    let dir = common::scratch("offline-");
    let out = dir.path().join("commune.pmtiles");
    let (lo, hi) = (zooms.start().to_string(), zooms.end().to_string());
    let run = common::cli(
        &db,
        &[
            "export",
            "tiles",
            "--format",
            "pmtiles",
            "--municipality",
            code,
            "--sources",
            sources,
            "--minzoom",
            &lo,
            "--maxzoom",
            &hi,
            "--out",
            out.to_str().unwrap(),
        ],
    )
    .await;
    common::ok_stdout(&run);
    let log = String::from_utf8_lossy(&run.stderr).into_owned();
    let (want, grid) = served(&srv, sources, zooms, area.bbox).await;
    let got: BTreeMap<u64, Vec<u8>> = open(&out)
        .tiles()
        .into_iter()
        .map(|(id, gz)| (id, gunzip(&gz)))
        .collect();
    let missing: Vec<_> = want.keys().filter(|k| !got.contains_key(k)).collect();
    let extra: Vec<_> = got.keys().filter(|k| !want.contains_key(k)).collect();
    assert!(
        missing.is_empty(),
        "served non-empty, not in the archive: {missing:?}\n{log}"
    );
    assert!(extra.is_empty(), "in the archive, served empty: {extra:?}");
    for (id, bytes) in &want {
        assert!(
            got[id] == *bytes,
            "tile {id}: the archive's bytes are the served ones"
        );
    }
    let skipped: u64 = log
        .lines()
        .find(|l| l.starts_with("wrote "))
        .and_then(|l| l.split(" of the area's ").next())
        .and_then(|s| s.rsplit("; ").next())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or_else(|| panic!("the summary names the tiles not rendered: {log}"));
    assert!(
        skipped > 0 && (skipped as usize) < grid,
        "some of the {grid} tiles were skipped without rendering: {log}"
    );
    assert!(!want.is_empty(), "the commune has tiles");
}

#[tokio::test]
async fn skipping_keeps_every_tile_the_server_serves_non_empty_all_sources() {
    // Ghar El Meleh (1716): half of its extent is sea, where only a tile's buffer has anything
    let all = mokhattat::tiles::Source::ALL.map(|s| s.id()).join(",");
    exact_set("1716", &all, 0..=14).await;
}

#[tokio::test]
async fn skipping_keeps_every_tile_the_server_serves_non_empty_points() {
    // points over Remada (5315), a desert commune whose extent reaches past the border: most of
    // the grid is empty, the skipping at its sharpest
    exact_set("5315", "facilities,proposals", 8..=11).await;
}

#[tokio::test]
async fn an_interrupted_export_leaves_no_archive() {
    let db = common::sample_db().await;
    let dir = common::scratch("offline-");
    for signal in [nix::sys::signal::SIGINT, nix::sys::signal::SIGTERM] {
        let out = dir.path().join("national.pmtiles");
        let partial = dir.path().join(".national.pmtiles.partial");
        std::fs::write(&out, b"the previous archive").unwrap();
        let child = tokio::process::Command::new(common::bin())
            .args([
                "export",
                "tiles",
                "--format",
                "pmtiles",
                "--maxzoom",
                "14",
                "--out",
            ])
            .arg(&out)
            .env("DATABASE_URL", &db.url)
            .env_remove("MOKHATTAT_DATA_DIR")
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // interrupted while it writes tiles
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        while !partial.exists() {
            assert!(
                std::time::Instant::now() < deadline,
                "the export started writing"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let pid = nix::unistd::Pid::from_raw(child.id().unwrap() as i32);
        nix::sys::signal::kill(pid, signal).unwrap();
        let done = child.wait_with_output().await.unwrap();
        let log = String::from_utf8_lossy(&done.stderr);
        assert!(!done.status.success(), "{signal}: {log}");
        assert!(log.contains("interrupted"), "{signal}: {log}");
        assert_eq!(std::fs::read(&out).unwrap(), b"the previous archive");
        assert!(!partial.exists(), "{signal}: no partial archive is left");
        assert!(!out.with_extension("style.json").exists());
    }
}
