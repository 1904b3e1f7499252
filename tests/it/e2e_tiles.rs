//! End to end with real clients against the real binary: GDAL's MVT driver, headless QGIS with
//! the QGIS-safe style, headless Chromium on the map viewer (both languages), and two server
//! processes on one database dropping the same stale tile. Any unexpected WARN or ERROR line in
//! a server log fails the test (checked by the harness when the server handle drops).
use crate::common;

use std::{process::Command, time::Duration};

use common::{
    browser::{self, Cdp},
    ServerProcess,
};
use serde_json::{json, Value};

#[tokio::test]
async fn gdal_mvt_driver_opens_a_source_through_its_tilejson() {
    let db = common::sample_db().await;
    let srv = common::ServerProcess::on(&db).await;
    let ds = format!("MVT:{}/tiles/municipalities/8", srv.base);
    let out = Command::new("ogrinfo")
        .args(["-ro", "-so", "-al", &ds])
        .output()
        .expect("ogrinfo (gdal-bin) is installed");
    let text = common::ok_stdout(&out);
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
    srv.finish();
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
    let srv = common::ServerProcess::on(&db).await;
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
    let stdout = common::ok_stdout(&out);
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
    srv.finish();
}

/// What the viewer reports, plus the map's zoom and whether it is still loading.
const STATE: &str = "(() => { const m = window.__mokhattat || {}; const map = m.map; \
    return JSON.stringify({ready: m.ready, renderedFeatures: m.renderedFeatures, lang: m.lang, \
    error: m.error, zoom: map && map.getZoom(), loaded: map && map.loaded(), \
    tilesLoaded: map && map.areTilesLoaded() }); })()";

impl Cdp {
    /// Wait until the viewer reports a rendered, idle map.
    async fn wait_rendered(&mut self) -> Value {
        // Software WebGL on a busy 2-core machine, a debug build of the server: be patient.
        let mut last = Value::Null;
        for _ in 0..480 {
            let s = self.eval(STATE).await;
            let s: Value = serde_json::from_str(s.as_str().unwrap_or("{}")).unwrap_or_default();
            assert!(s["error"].is_null(), "the map reported an error: {s}");
            if s["ready"] == true && s["renderedFeatures"].as_u64().unwrap_or(0) > 0 {
                return s;
            }
            last = s;
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        panic!("the map did not render any feature within 120 s; last state: {last}");
    }

    async fn screenshot_colours(&mut self) -> usize {
        let bytes = self.screenshot().await;
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        let px = info.color_type.samples();
        let mut colours = std::collections::HashSet::new();
        for chunk in buf[..info.buffer_size()].chunks(px).step_by(7) {
            colours.insert(chunk.to_vec());
        }
        colours.len()
    }
}

#[tokio::test]
async fn headless_chromium_renders_the_map_in_both_languages() {
    let db = common::sample_db().await;
    let srv = common::ServerProcess::on(&db).await;
    let (_chrome, mut cdp) = browser::open(900, 600).await;

    // Arabic first, opened on Tunis: right to left, labels and features rendered
    cdp.call(
        "Page.navigate",
        json!({"url": srv.url("/map?lang=ar&municipality=1111")}),
    )
    .await;
    let s = cdp.wait_rendered().await;
    assert_eq!(s["lang"], "ar");
    assert_eq!(cdp.eval("document.documentElement.dir").await, "rtl");
    assert_eq!(
        cdp.eval("document.getElementById('title').textContent")
            .await,
        "التهيئة الترابية — تونس"
    );
    assert!(
        cdp.screenshot_colours().await > 20,
        "a non-blank screenshot (ar)"
    );
    let features = cdp.eval("window.__mokhattat.renderedFeatures").await;
    assert!(features.as_u64().unwrap() > 10, "{features}");

    // switch to French with the page's own button
    cdp.eval("document.getElementById('lang-fr').click()").await;
    let s = cdp.wait_rendered().await;
    assert_eq!(s["lang"], "fr");
    assert_eq!(cdp.eval("document.documentElement.dir").await, "ltr");
    assert!(cdp
        .eval("location.search")
        .await
        .as_str()
        .unwrap()
        .contains("lang=fr"));
    assert!(
        cdp.screenshot_colours().await > 20,
        "a non-blank screenshot (fr)"
    );

    // the national view, with no parameters
    cdp.call("Page.navigate", json!({"url": srv.url("/map")}))
        .await;
    let s = cdp.wait_rendered().await;
    assert!(s["renderedFeatures"].as_u64().unwrap() > 100, "{s}");
    assert!(
        cdp.screenshot_colours().await > 20,
        "a non-blank screenshot (national)"
    );

    // embeddable: no chrome around the map, and framing allowed
    let r = reqwest::get(srv.url("/map?embed=1")).await.unwrap();
    assert_eq!(r.headers()["content-security-policy"], "frame-ancestors *");
    assert!(r.headers().get("x-frame-options").is_none());
    assert!(r.text().await.unwrap().contains("class=\"embed\""));
    // A municipal web site embeds its own municipality.
    cdp.call(
        "Page.navigate",
        json!({"url": srv.url("/map?embed=1&municipality=1111")}),
    )
    .await;
    cdp.wait_rendered().await;
    assert_eq!(
        cdp.eval("getComputedStyle(document.getElementById('bar')).display")
            .await,
        "none"
    );

    srv.finish();
}

#[tokio::test]
async fn two_server_processes_drop_the_same_stale_tile() {
    let db = common::sample_db().await;
    let a = common::ServerProcess::on(&db).await;
    let b = common::ServerProcess::on(&db).await;
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
    a.finish();
    b.finish();
}
