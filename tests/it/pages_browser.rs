//! Project and unit pages in headless Chromium against the real binary, at desktop (1280×800) and
//! phone (390×844) widths in both languages: a click on a project on /map opens its popup, whose
//! link opens the project page; the page shows its title, status history, chart, map and units;
//! the unit page its figures, map and sheet link. Screenshots land in target/screenshots/.
use crate::common;

use common::chromium::{launch, Cdp};

/// Wait for a page for people to be loaded; its facts, as the test reads them.
async fn facts(cdp: &mut Cdp) -> serde_json::Value {
    cdp.wait_for(
        "document.readyState === 'complete' && !!document.querySelector('footer.site')",
        "the page loaded",
    )
    .await;
    let v = cdp
        .eval(
            "JSON.stringify({ h1: (document.querySelector('h1') || {}).innerText, dir: document.documentElement.dir, \
             lang: document.documentElement.lang, history: document.querySelectorAll('ol.history li').length, \
             chart: !!document.querySelector('svg.chart path.phys'), \
             map: (() => { const m = document.querySelector('svg.map'); if (!m) return 0; const r = m.getBoundingClientRect(); return Math.round(r.width * r.height); })(), \
             units: document.querySelectorAll('tr.unit a').length, projects: document.querySelectorAll('tr.project a').length, \
             overflow: document.documentElement.scrollWidth - window.innerWidth, \
             sheet: !!document.querySelector('a[href*=\"/diagnosis?f=html\"]') })",
        )
        .await;
    serde_json::from_str(v.as_str().unwrap()).unwrap()
}

#[tokio::test]
async fn a_click_on_a_project_on_the_map_opens_its_page() {
    let db = common::sample_db().await;
    let admin = common::key(&db, "admin", &[], None).await;
    let srv = common::ServerProcess::on(&db).await;
    // one project in Tunis with progress reports, so its page has a chart
    let code = "BROWSER-1";
    crate::pages::project(&db.pool, code, "Aménagement de la place Bab Bhar", true).await;
    let client = reqwest::Client::new();
    for (pct, date) in [(20, "2024-02-01"), (45, "2024-10-01")] {
        let r = client
            .post(srv.url(&format!("/api/projects/{code}/progress")))
            .bearer_auth(&admin)
            .json(&serde_json::json!({"physical_pct": pct, "paid_tnd": pct * 10000, "date": date}))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{:?}", r.text().await);
    }
    let r = client
        .post(srv.url(&format!("/api/projects/{code}/status")))
        .bearer_auth(&admin)
        .json(&serde_json::json!({"status": "suspended", "date": "2025-01-10", "note": "études complémentaires"}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{:?}", r.text().await);
    for (w, h) in [(1280, 800), (390, 844)] {
        let (_chrome, mut cdp) = launch(w, h).await;
        for lang in ["fr", "ar"] {
            cdp.navigate(&srv.url(&format!("/map?lang={lang}&municipality=1111")))
                .await;
            cdp.wait_rendered().await;
            let (clicked, href, _) = cdp.click_a_project().await;
            assert_eq!(href, format!("/projects/{clicked}?lang={lang}"));
            cdp.click(".maplibregl-popup a.go").await;
            cdp.wait_for(
                &format!("location.pathname === '/projects/{clicked}'"),
                "the popup link opened the project page",
            )
            .await;
            let f = facts(&mut cdp).await;
            assert_eq!(f["lang"], lang, "{f}");
            assert_eq!(f["dir"], if lang == "ar" { "rtl" } else { "ltr" });
            assert!(
                !f["h1"].as_str().unwrap_or("").trim().is_empty(),
                "a title: {f}"
            );
            assert!(
                f["map"].as_u64().unwrap() > 10_000,
                "a map of some size: {f}"
            );
            assert!(f["units"].as_u64().unwrap() >= 1, "its units: {f}");
            assert!(
                f["overflow"].as_i64().unwrap() <= 0,
                "no sideways scroll: {f}"
            );
            cdp.screenshot(Some(&format!("project-popup-page-{w}x{h}-{lang}")))
                .await;

            cdp.navigate(&srv.url(&format!("/projects/{code}?lang={lang}")))
                .await;
            let f = facts(&mut cdp).await;
            assert_eq!(f["chart"], true, "the progress chart: {f}");
            assert!(f["history"].as_u64().unwrap() >= 1, "a status history: {f}");
            cdp.screenshot(Some(&format!("project-{w}x{h}-{lang}")))
                .await;

            cdp.navigate(&srv.url(&format!("/units/municipality/1111?lang={lang}")))
                .await;
            let f = facts(&mut cdp).await;
            assert!(
                f["projects"].as_u64().unwrap() >= 1,
                "the unit's projects: {f}"
            );
            assert_eq!(f["sheet"], true, "the sheet link: {f}");
            assert!(f["map"].as_u64().unwrap() > 10_000, "the unit's map: {f}");
            assert!(
                f["overflow"].as_i64().unwrap() <= 0,
                "no sideways scroll: {f}"
            );
            cdp.screenshot(Some(&format!("unit-{w}x{h}-{lang}"))).await;
        }
    }
    srv.finish();
}
