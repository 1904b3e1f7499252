//! Groups of projects on the web map (docs/map.md, "Groups of projects"): below zoom 11 a dense
//! cell of the `projects` tiles is one point with its `locations` count (tests/it/tile_clusters.rs);
//! the map draws it as a dark disc with the count, not as one project's status dot, and a click on
//! it zooms in instead of opening a project's popup. Headless Chromium against the real binary;
//! screenshot in target/screenshots/map-clusters.png.
use crate::common;

use common::chromium::launch;

/// The groups and the single projects drawn on screen, as JSON text.
const DRAWN: &str = "(() => { const m = window.__mokhattat.map; \
    const g = m.queryRenderedFeatures({layers: ['projects-cluster']}); \
    const t = m.queryRenderedFeatures({layers: ['projects-cluster-count']}); \
    const p = m.queryRenderedFeatures({layers: ['projects-point']}); \
    const r = m.getContainer().getBoundingClientRect(); \
    const big = g.filter(f => f.properties.locations >= 60) \
      .map(f => { const q = m.project(f.geometry.coordinates); return {x: r.left + q.x, y: r.top + q.y}; }); \
    return JSON.stringify({groups: g.length, big: big, counts: t.map(f => f.properties.locations), \
      singles_grouped: p.filter(f => (f.properties.locations || 1) > 1).length, singles: p.length, \
      zoom: m.getZoom(), popup: !!document.querySelector('.maplibregl-popup')}); })()";

async fn drawn(cdp: &mut common::chromium::Cdp) -> serde_json::Value {
    serde_json::from_str(cdp.eval(DRAWN).await.as_str().unwrap()).unwrap()
}

#[tokio::test]
async fn a_dense_cell_is_drawn_as_a_counted_group_that_zooms_in() {
    let db = common::sample_db().await;
    // 60 points of one public project within ~60 m of the centre of Tunis: one cell below zoom 11
    let code: String = db
        .scalar(
            "SELECT code FROM project WHERE is_public ORDER BY id LIMIT 1",
            (),
        )
        .await;
    let (lon, lat) = common::dense_cell_in_tunis(&db, &code).await;
    let srv = common::ServerProcess::on(&db).await;
    let (_chrome, mut cdp) = launch(1000, 700).await;
    cdp.navigate(&srv.url("/map?lang=fr")).await;
    cdp.wait_rendered().await;
    cdp.eval(&format!(
        "window.__mokhattat.map.jumpTo({{center: [{lon}, {lat}], zoom: 8}}); 0"
    ))
    .await;
    cdp.wait_for(
        "window.__mokhattat.map.queryRenderedFeatures({layers: ['projects-cluster']}) \
         .some(f => f.properties.locations >= 60) && window.__mokhattat.map.loaded()",
        "the group of 60 drawn at zoom 8",
    )
    .await;
    let d = drawn(&mut cdp).await;
    assert!(d["big"].as_array().unwrap().len() == 1, "{d}");
    assert!(
        d["counts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_i64() >= Some(60)),
        "the group's count is written on it: {d}"
    );
    assert_eq!(
        d["singles_grouped"], 0,
        "no group is drawn as a project's dot: {d}"
    );
    assert!(
        d["singles"].as_u64().unwrap() > 0,
        "single projects stay: {d}"
    );
    let legend = cdp
        .eval("document.getElementById('legend').textContent")
        .await;
    assert!(
        legend.as_str().unwrap().contains("Groupe de projets"),
        "the legend explains the groups: {legend}"
    );
    cdp.save_screenshot("map-clusters").await;
    // a click on the group zooms in (two levels, at most 11) and opens no popup
    let (x, y) = (
        d["big"][0]["x"].as_f64().unwrap(),
        d["big"][0]["y"].as_f64().unwrap(),
    );
    cdp.click_at(x, y).await;
    let z = cdp
        .wait_for(
            "(() => { const m = window.__mokhattat.map; return !m.isMoving() && m.getZoom() > 9.9 && m.getZoom(); })()",
            "the map zoomed in on the group",
        )
        .await;
    assert!(z.as_f64().unwrap() <= 10.01, "zoom {z}");
    let d = drawn(&mut cdp).await;
    assert_eq!(d["popup"], false, "a group opens no popup: {d}");
}
