//! End to end with real clients against the real binary: GDAL's MVT driver, headless QGIS with
//! the QGIS-safe style, and two server
//! processes (the headless-Chromium map test is pending in tests/pending/e2e_map.rs) on one database dropping the same stale tile. Any unexpected ERROR line in a server
//! log fails the test.
mod common;

use std::{process::Command, time::Duration};

use common::ServerProcess;
use serde_json::{json, Value};

async fn server(db: &common::TestDb) -> ServerProcess {
    ServerProcess::start(
        &["--no-sample"],
        &[("DATABASE_URL", db.url.as_str())],
        Duration::from_secs(60),
    )
    .await
}

fn assert_clean_log(srv: &ServerProcess) {
    let errors = srv.unexpected_errors(&[]);
    assert!(
        errors.is_empty(),
        "ERROR lines in the server log:\n{}",
        errors.join("\n")
    );
}

#[tokio::test]
async fn gdal_mvt_driver_opens_a_source_through_its_tilejson() {
    let db = common::sample_db().await;
    let srv = server(&db).await;
    let ds = format!("MVT:{}/tiles/municipalities/8", srv.base);
    let out = Command::new("ogrinfo")
        .args(["-ro", "-so", "-al", &ds])
        .output()
        .expect("ogrinfo (gdal-bin) is installed");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("Layer name: municipalities"), "{text}");
    // the schema comes from the TileJSON's vector_layers
    assert!(
        text.contains("code: String") && text.contains("name_ar: String"),
        "{text}"
    );
    let out = Command::new("ogrinfo")
        .args([
            "-ro",
            "-q",
            &ds,
            "municipalities",
            "-where",
            "code = '1111'",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("name_fr (String) = Tunis"), "{text}");
    assert_clean_log(&srv);
}

const QGIS_SCRIPT: &str = r#"
import json, sys, urllib.request
from qgis.core import (QgsApplication, QgsVectorTileLayer, QgsMapBoxGlStyleConverter,
    QgsMapBoxGlStyleConversionContext, QgsMapSettings, QgsMapRendererSequentialJob,
    QgsRectangle, QgsCoordinateReferenceSystem)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor
base, sources, out = sys.argv[1], sys.argv[2], sys.argv[3]
app = QgsApplication([], False)
app.initQgis()
layer = QgsVectorTileLayer(f"type=xyz&url={base}/tiles/{sources}/{{z}}/{{x}}/{{y}}.pbf&zmin=0&zmax=14", "mokhattat")
style = json.load(urllib.request.urlopen(f"{base}/styles/planning-qgis.json"))
conv = QgsMapBoxGlStyleConverter()
res = conv.convert(style, QgsMapBoxGlStyleConversionContext())
layer.setRenderer(conv.renderer())
if conv.labeling():
    layer.setLabeling(conv.labeling())
settings = QgsMapSettings()
settings.setLayers([layer])
settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
settings.setExtent(QgsRectangle(1118800, 4401000, 1152200, 4425000))  # Tunis
settings.setOutputSize(QSize(800, 575))
settings.setBackgroundColor(QColor(255, 255, 255))
job = QgsMapRendererSequentialJob(settings)
job.start()
job.waitForFinished()
img = job.renderedImage()
img.save(out)
colours = {img.pixel(x, y) for x in range(0, img.width(), 4) for y in range(0, img.height(), 4)}
print(json.dumps({"valid": layer.isValid(), "converted": res == 0, "warnings": conv.warnings(),
                  "errors": [e.message for e in job.errors()], "colours": len(colours)}))
app.exitQgis()
"#;

#[tokio::test]
async fn headless_qgis_renders_tunis_with_the_qgis_safe_style() {
    let db = common::sample_db().await;
    let srv = server(&db).await;
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("render.py");
    std::fs::write(&script, QGIS_SCRIPT).unwrap();
    let png = dir.path().join("tunis.png");
    let base = srv.base.clone();
    let (script2, png2) = (script.clone(), png.clone());
    let out = tokio::task::spawn_blocking(move || {
        Command::new("/usr/bin/python3")
            .arg(&script2)
            .args([base.as_str(), "municipalities,landuse,projects"])
            .arg(&png2)
            .env("QT_QPA_PLATFORM", "offscreen")
            .env("XDG_RUNTIME_DIR", std::env::temp_dir())
            .output()
            .expect("python3-qgis is installed")
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value = serde_json::from_str(stdout.lines().last().unwrap_or("")).expect(&stdout);
    assert_eq!(r["valid"], true, "{r}");
    assert_eq!(r["converted"], true, "{r}");
    assert_eq!(
        r["warnings"],
        json!([]),
        "the QGIS-safe style converts without warnings: {r}"
    );
    assert!(
        r["colours"].as_u64().unwrap() > 20,
        "a non-blank image: {r}"
    );
    assert_clean_log(&srv);
}

/// A minimal Chrome DevTools Protocol session over a page target.
#[tokio::test]
async fn two_server_processes_drop_the_same_stale_tile() {
    let db = common::sample_db().await;
    let a = server(&db).await;
    let b = server(&db).await;
    let client = reqwest::Client::new();
    let tile = "/tiles/municipalities/10/540/399.pbf";
    let etag = |r: &reqwest::Response| r.headers()["etag"].to_str().unwrap().to_string();
    let cache = |s: &ServerProcess| {
        let (client, url) = (client.clone(), s.url("/tiles"));
        async move {
            let v: Value = client.get(url).send().await.unwrap().json().await.unwrap();
            v["cache"].clone()
        }
    };
    let mut before = vec![];
    for s in [&a, &b] {
        for _ in 0..100 {
            if cache(s).await["listening"] == true {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let r = client.get(s.url(tile)).send().await.unwrap();
        assert_eq!(r.status(), 200);
        before.push(etag(&r));
        // warm: the second read is a cache hit
        client.get(s.url(tile)).send().await.unwrap();
        assert_eq!(cache(s).await["hits"], 1, "the tile is cached");
    }
    sqlx::query("UPDATE admin_unit SET name_ar = 'تونس (تعديل تجريبي)' WHERE level = 'municipality' AND code = '1111' AND valid_to IS NULL")
        .execute(&db.pool)
        .await
        .unwrap();
    for (i, s) in [&a, &b].into_iter().enumerate() {
        let mut changed = false;
        for _ in 0..100 {
            let r = client.get(s.url(tile)).send().await.unwrap();
            if etag(&r) != before[i] {
                changed = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(changed, "server {i} still serves the stale tile");
        assert_eq!(
            cache(s).await["misses"],
            2,
            "server {i} read the tile again once"
        );
    }
    for s in [&a, &b] {
        assert_clean_log(s);
    }
}
