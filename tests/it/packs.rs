//! Open-data packs (issue 13 item 4, docs/offline.md): the real server's zip, opened with real
//! `ogrinfo`, its IATI file checked by real xmllint against the vendored XSD, its counts compared
//! with what the features API answers for the same selection.
use crate::common;

use std::{io::Read, path::Path, process::Command};

use serde_json::Value;

/// The files of a zip, by name.
pub fn unzip(bytes: &[u8]) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut b = Vec::new();
            f.read_to_end(&mut b).unwrap();
            (f.name().to_string(), b)
        })
        .collect()
}

/// `(layer name, feature count)` of every layer of a GeoPackage, as `ogrinfo` reports them.
fn ogr_counts(gpkg: &Path) -> Vec<(String, u64)> {
    let out = Command::new("ogrinfo")
        .args(["-ro", "-so", "-al"])
        .arg(gpkg)
        .output()
        .expect("ogrinfo (gdal-bin)");
    let text = common::ok_stdout(&out);
    let mut found = Vec::new();
    let mut name = None;
    for line in text.lines() {
        if let Some(n) = line.strip_prefix("Layer name: ") {
            name = Some(n.trim().to_string());
        } else if let Some(c) = line.strip_prefix("Feature Count: ") {
            found.push((
                name.take().expect("a layer name first"),
                c.trim().parse().unwrap(),
            ));
        }
    }
    found
}

async fn pack(srv: &common::TestServer, code: &str) -> Vec<u8> {
    let r = srv.get(&format!("/api/packs/{code}.zip")).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/zip");
    r.bytes().await.unwrap().to_vec()
}

#[tokio::test]
async fn a_commune_pack_holds_every_public_layer_with_the_features_api_counts() {
    let (_db, srv) = common::sample_server().await;
    let files = unzip(&pack(&srv, "1111").await);
    let names: Vec<&String> = files.keys().collect();
    for f in [
        "README.md",
        "metadata.json",
        "mokhattat-1111.gpkg",
        "mokhattat-1111-iati.xml",
    ] {
        assert!(files.contains_key(f), "{f} in {names:?}");
    }
    let meta: Value = serde_json::from_slice(&files["metadata.json"]).unwrap();
    assert_eq!(meta["area"]["name_fr"], "Tunis");
    let sources = meta["sources"].to_string();
    for licence in ["\"ODbL-1.0\"", "\"CC-BY-4.0\""] {
        assert!(sources.contains(licence), "{licence} in {sources}");
    }
    let dir = common::scratch("packs-");
    let gpkg = dir.path().join("pack.gpkg");
    std::fs::write(&gpkg, &files["mokhattat-1111.gpkg"]).unwrap();
    let counts = ogr_counts(&gpkg);
    let layers = meta["layers"].as_array().unwrap();
    let public: Vec<String> = mokhattat::layers::collections()
        .map(|l| l.id.to_string())
        .collect();
    assert_eq!(
        counts.iter().map(|c| c.0.clone()).collect::<Vec<_>>(),
        public,
        "one layer a collection"
    );
    for ((name, n), l) in counts.iter().zip(layers) {
        assert_eq!(l["id"], name.as_str());
        assert!(
            !l["fields"].as_array().unwrap().is_empty(),
            "{name}: fields described"
        );
        let sel = l["selection"].as_str().unwrap();
        let sep = if sel.ends_with('?') { "" } else { "&" };
        let (status, page) = srv.get_json(&format!("{sel}{sep}limit=1")).await;
        assert_eq!(status, 200, "{sel}: {page}");
        assert_eq!(page["numberMatched"].as_u64(), Some(*n), "{name}: {sel}");
        let csv = &files[&format!("csv/{name}.csv")];
        assert!(
            csv.starts_with("\u{feff}id,".as_bytes()),
            "{name}.csv starts with a BOM"
        );
        let lines = String::from_utf8(csv.clone()).unwrap();
        assert!(
            lines.matches("\r\n").count() as u64 > *n,
            "{name}.csv: a header and a line a feature"
        );
    }
    let count = |id: &str| counts.iter().find(|c| c.0 == id).unwrap().1;
    assert!(
        count("municipalities") >= 1 && count("projects") >= 1 && count("facilities") > 10,
        "{counts:?}"
    );
    let iati = String::from_utf8(files["mokhattat-1111-iati.xml"].clone()).unwrap();
    crate::iati::validate(&iati, dir.path(), "iati.xml");
    assert!(String::from_utf8_lossy(&files["mokhattat-1111-iati.xml"]).contains("<iati-activity "));
    let readme = String::from_utf8(files["README.md"].clone()).unwrap();
    assert!(
        readme.contains("dir=\"rtl\"")
            && readme.contains("حزمة")
            && readme.contains("Pack de données")
    );
}

#[tokio::test]
async fn a_changed_project_changes_the_next_pack_and_unknown_codes_are_4xx() {
    let (db, srv) = common::sample_server().await;
    let first = unzip(&pack(&srv, "1111").await);
    assert_eq!(
        unzip(&pack(&srv, "1111").await)["csv/projects.csv"],
        first["csv/projects.csv"]
    );
    let before = String::from_utf8_lossy(&first["csv/projects.csv"])
        .lines()
        .count();
    assert!(before > 1, "Tunis has public projects");
    let changed = db
        .exec(
            "UPDATE project SET title_fr = coalesce(title_fr, '') || ' — révisé' WHERE is_public",
            (),
        )
        .await;
    assert!(changed > 0);
    let mut changed = false;
    for _ in 0..50 {
        let next = unzip(&pack(&srv, "1111").await);
        if String::from_utf8_lossy(&next["csv/projects.csv"]).contains("révisé") {
            changed = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(changed, "the pack after the change shows it");
    let (s, body) = srv.get_json("/api/packs/9999.zip").await;
    assert_eq!(s, 404, "{body}");
    assert!(body.to_string().contains("TN"), "{body}");
    assert_eq!(srv.get_json("/api/packs/abc.zip").await.0, 400);
    assert_eq!(srv.get_json("/api/packs/1111.tar").await.0, 404);
}

#[tokio::test]
async fn the_command_line_writes_a_pack_and_refuses_an_unknown_commune() {
    let db = common::sample_db().await;
    let dir = common::scratch("packs-");
    let out = dir.path().join("p.zip");
    let run = common::cli(
        &db,
        &["export", "pack", "--municipality", "1116", "--out"]
            .map(String::from)
            .into_iter()
            .chain([out.display().to_string()])
            .collect::<Vec<_>>(),
    )
    .await;
    common::ok_stdout(&run);
    let progress = String::from_utf8_lossy(&run.stderr);
    assert!(
        progress.contains("municipalities:") && progress.contains("wrote"),
        "{progress}"
    );
    let files = unzip(&std::fs::read(&out).unwrap());
    assert!(files.contains_key("mokhattat-1116.gpkg"));
    let bad = common::cli(&db, &["export", "pack", "--municipality", "9999"]).await;
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no current commune has the code 9999"));
}
