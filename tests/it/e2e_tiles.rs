//! End to end with real clients against the real binary: GDAL's MVT driver, headless QGIS with
//! the QGIS-safe style, headless Chromium on the map viewer (both languages), and two server
//! processes on one database dropping the same stale tile. Any unexpected WARN or ERROR line in
//! a server log fails the test (checked by the harness when the server handle drops).
use crate::common;

use std::{process::Command, time::Duration};

use common::ServerProcess;
use serde_json::{json, Value};

#[tokio::test]
async fn gdal_mvt_driver_opens_a_source_through_its_tilejson() {
    let (_db, srv) = common::sample_process().await;
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

#[tokio::test]
async fn headless_qgis_renders_tunis_with_the_qgis_safe_style() {
    let (_db, srv) = common::sample_process().await;
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("tunis.png");
    let uri = format!(
        "type=xyz&url={}/tiles/municipalities,landuse,projects/{{z}}/{{x}}/{{y}}.pbf&zmin=0&zmax=14",
        srv.base
    );
    let r = common::qgis::render(&uri, &srv.url("/styles/planning-qgis.json"), &png).await;
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

#[tokio::test]
async fn headless_chromium_renders_the_map_in_both_languages() {
    let (_db, srv) = common::sample_process().await;
    let (_chrome, mut cdp) = common::chromium::launch(900, 600).await;

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
    // a compact bar (name, language, full map link), no side panel (tests/it/map_browser.rs)
    assert_eq!(
        cdp.eval("getComputedStyle(document.getElementById('panel')).display")
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
    db.exec("UPDATE admin_unit SET name_ar = 'تونس (تعديل تجريبي)' WHERE level = 'municipality' AND code = '1111' AND valid_to IS NULL", ()).await;
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
