//! The map a commune puts on its site, in headless Chromium against the real binary: over a LOCAL
//! raster basemap (served by this test, no network) at desktop and phone widths in both
//! languages; a click on a project opens a popup that links to its page; the embedded map in a
//! 260 px iframe has no scrollbar and keeps its legend, language switch, commune name and link to
//! the full map. Screenshots land in target/screenshots/ (CI artefacts).
use crate::common;

use std::sync::{
    atomic::{AtomicUsize, Ordering},
    Arc,
};

use axum::{extract::State, http::header, response::IntoResponse, routing::get, Router};
use common::chromium::{launch, pixels, Cdp};
use serde_json::{json, Value};

/// The basemap's colour: a magenta no layer of the planning style uses.
const BASE: [u8; 3] = [208, 48, 208];

/// A 256×256 PNG tile: magenta with a white grid line, so it is neither flat nor like our data.
pub(crate) fn tile_png() -> Vec<u8> {
    let mut data = Vec::with_capacity(256 * 256 * 3);
    for y in 0..256 {
        for x in 0..256 {
            let line = x < 4 || y < 4;
            data.extend_from_slice(if line { &[255, 255, 255] } else { &BASE });
        }
    }
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, 256, 256);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.write_header().unwrap().write_image_data(&data).unwrap();
    out
}

#[derive(Clone)]
struct Local {
    hits: Arc<AtomicUsize>,
    png: Arc<Vec<u8>>,
    host_page: Arc<String>,
}

/// The test's own web server: basemap tiles (counted) and a host page framing the map.
async fn local_server(map_url: impl Fn(u16) -> String) -> (u16, Local) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let local = Local {
        hits: Arc::new(AtomicUsize::new(0)),
        png: Arc::new(tile_png()),
        host_page: Arc::new(format!(
            "<!doctype html><meta charset=utf-8><meta name=viewport content=\"width=device-width\"><title>Commune</title><body style=\"margin:8px\">\
             <h1 style=\"font:16px sans-serif\">Site de la commune</h1>\
             <iframe id=\"m\" src=\"{}\" width=\"360\" height=\"260\" style=\"border:1px solid #999\"></iframe>",
            map_url(port)
        )),
    };
    let app = Router::new()
        .route(
            "/tiles/{z}/{x}/{y}",
            get(|State(l): State<Local>| async move {
                l.hits.fetch_add(1, Ordering::SeqCst);
                // as real tile providers do: MapLibre fetches tiles with CORS
                (
                    [
                        (header::CONTENT_TYPE, "image/png"),
                        (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
                    ],
                    (*l.png).clone(),
                )
            }),
        )
        .route(
            "/host.html",
            get(|State(l): State<Local>| async move {
                axum::response::Html((*l.host_page).clone()).into_response()
            }),
        )
        .with_state(local.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (port, local)
}

/// Share of sampled pixels with the basemap's hue (under the see-through commune fill).
pub(crate) fn base_share(png: &[u8]) -> f64 {
    let px = pixels(png);
    let (mut n, mut base) = (0usize, 0usize);
    for c in px.chunks(4).step_by(5) {
        n += 1;
        if c[0] > 150 && c[2] > 150 && c[1] < 130 {
            base += 1;
        }
    }
    base as f64 / n as f64
}

#[tokio::test]
async fn the_map_over_a_local_basemap_at_desktop_and_phone_widths() {
    let db = common::sample_db().await;
    let (port, local) = local_server(|_| String::new()).await;
    let tiles = format!("http://127.0.0.1:{port}/tiles/{{z}}/{{x}}/{{y}}");
    let env = [
        ("DATABASE_URL", db.url.as_str()),
        ("MOKHATTAT_BASEMAP_TILES", tiles.as_str()),
        ("MOKHATTAT_BASEMAP_ATTRIBUTION", "Fond de test local"),
    ];
    let srv =
        common::ServerProcess::start(&["--no-sample"], &env, std::time::Duration::from_secs(120))
            .await;
    for (w, h) in [(1280, 800), (390, 844)] {
        let (_chrome, mut cdp) = launch(w, h).await;
        for lang in ["fr", "ar"] {
            let before = local.hits.load(Ordering::SeqCst);
            cdp.navigate(&srv.url(&format!("/map?lang={lang}&municipality=1111")))
                .await;
            let s = cdp.wait_rendered().await;
            assert_eq!(s["lang"], lang);
            let png = cdp.screenshot(Some(&format!("map-{w}x{h}-{lang}"))).await;
            assert!(
                local.hits.load(Ordering::SeqCst) > before,
                "the browser requested basemap tiles ({w}, {lang})"
            );
            let share = base_share(&png);
            assert!(
                share > 0.05,
                "the basemap is drawn under the data ({w}, {lang}): {share}"
            );
            assert!(cdp.screenshot_colours().await > 20, "not a flat field");
            let attrib = cdp
                .eval("document.querySelector('.maplibregl-ctrl-attrib').classList.contains('maplibregl-compact-show')")
                .await;
            assert_eq!(attrib, false, "attribution starts collapsed");
            let (code, href, text) = cdp.click_a_project().await;
            assert_eq!(href, format!("/projects/{code}?lang={lang}"));
            let labels: &[&str] = if lang == "ar" {
                &["الحالة", "عرض بطاقة المشروع"]
            } else {
                &["Statut", "Voir la fiche du projet"]
            };
            for l in labels {
                assert!(text.contains(l), "popup in {lang} says {l}: {text}");
            }
            cdp.screenshot(Some(&format!("map-{w}x{h}-{lang}-popup")))
                .await;
        }
        if w < 700 {
            phone_panel(&mut cdp).await;
        } else {
            embed_snippet(&mut cdp).await;
        }
    }
    srv.finish();
}

/// Phones: no side panel until the bar's button opens it, and it closes again.
async fn phone_panel(cdp: &mut Cdp) {
    let shown = "getComputedStyle(document.getElementById('panel')).display !== 'none'";
    // the popup of the last click closed: only the map and the panel are measured
    cdp.eval("document.querySelectorAll('.maplibregl-popup-close-button').forEach(b => b.click())")
        .await;
    assert_eq!(cdp.eval(shown).await, false, "the panel starts closed");
    let map_w = cdp
        .eval("document.getElementById('map').getBoundingClientRect().width")
        .await;
    assert!(map_w.as_f64().unwrap() >= 389.0, "the map is full width");
    // the button opens the panel, then closes it; the map is drawn each time
    for (open, says, settle_ms, screenshot, drawn_where) in [
        (
            true,
            "the button opens the panel",
            1500,
            "map-390x844-panel",
            "under the open panel",
        ),
        (
            false,
            "and closes it",
            800,
            "map-390x844-panel-closed",
            "with the panel closed",
        ),
    ] {
        cdp.eval("document.getElementById('panel-toggle').click()")
            .await;
        assert_eq!(cdp.eval(shown).await, open, "{says}");
        tokio::time::sleep(std::time::Duration::from_millis(settle_ms)).await;
        let drawn = map_below_panel(cdp, screenshot).await;
        assert!(drawn > 0.9, "the map is drawn {drawn_where}: {drawn}");
    }
}

/// Share of the map's visible part (below the panel when open, above the controls) that is not
/// white: the local basemap and the data, not an undrawn canvas.
async fn map_below_panel(cdp: &mut Cdp, name: &str) -> f64 {
    let r = cdp
        .eval(
            "(() => { const p = document.getElementById('panel').getBoundingClientRect();              const m = document.getElementById('map').getBoundingClientRect();              return [innerWidth, Math.ceil(Math.max(p.bottom, m.top)) + 8, Math.floor(m.bottom) - 80]; })()",
        )
        .await;
    let n = |i: usize| r[i].as_u64().unwrap() as usize;
    let (w, y0, y1) = (n(0), n(1), n(2));
    assert!(y1 > y0 + 100, "some map is visible: {r}");
    let px = pixels(&cdp.screenshot(Some(name)).await);
    let (mut all, mut white) = (0usize, 0usize);
    for y in (y0..y1).step_by(3) {
        for x in (0..w).step_by(5) {
            let c = &px[(y * w + x) * 4..];
            all += 1;
            if c[0] > 245 && c[1] > 245 && c[2] > 245 {
                white += 1;
            }
        }
    }
    1.0 - white as f64 / all as f64
}

/// The full map's "embed this map" box writes the iframe for a commune, language and layers.
async fn embed_snippet(cdp: &mut Cdp) {
    cdp.eval("document.getElementById('embed-box').open = true")
        .await;
    let code = cdp
        .eval("document.getElementById('embed-code').value")
        .await;
    let code = code.as_str().unwrap();
    assert!(
        code.starts_with("<iframe src=\"http://127.0.0.1:"),
        "{code}"
    );
    assert!(
        code.contains("/map?embed=1&amp;municipality=1111&amp;lang=ar&amp;layers=municipalities,governorates,landuse,projects,facilities\""),
        "{code}"
    );
    assert!(code.contains("height=\"400\""), "{code}");
    let changed = cdp
        .eval(
            "(() => { const s = document.getElementById('embed-lang'); s.value = 'fr'; \
             s.dispatchEvent(new Event('change', {bubbles: true})); \
             const l = document.querySelector('#embed-layers input[value=facilities]'); l.checked = false; \
             l.dispatchEvent(new Event('change', {bubbles: true})); \
             return document.getElementById('embed-code').value; })()",
        )
        .await;
    assert!(
        changed
            .as_str()
            .unwrap()
            .contains("lang=fr&amp;layers=municipalities,governorates,landuse,projects\""),
        "{changed}"
    );
    cdp.screenshot(Some("map-1280x800-embed-snippet")).await;
}

/// Evaluate `expr` inside the first iframe of the page (an isolated world: DOM only).
/// The frame may navigate between creating the world and evaluating in it: then try again.
async fn eval_in_frame(cdp: &mut Cdp, expr: &str) -> Value {
    let mut last = Value::Null;
    for _ in 0..20 {
        let tree = cdp.call("Page.getFrameTree", json!({})).await;
        let frame = tree["frameTree"]["childFrames"][0]["frame"]["id"].clone();
        let params = json!({"frameId": frame, "worldName": "test"});
        let Ok(world) = cdp.try_call("Page.createIsolatedWorld", &params).await else {
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
            continue;
        };
        let params = json!({"expression": expr, "contextId": world["executionContextId"], "returnByValue": true});
        match cdp.try_call("Runtime.evaluate", &params).await {
            Ok(r) => return r["result"]["value"].clone(),
            Err(e) => last = e,
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    panic!("could not evaluate in the frame: {last}")
}

#[tokio::test]
async fn the_embedded_map_in_a_260_px_iframe_keeps_legend_and_language_switch() {
    let db = common::sample_db().await;
    let srv = common::ServerProcess::on(&db).await;
    for lang in ["fr", "ar"] {
        let map = srv.url(&format!(
            "/map?embed=1&municipality=1111&lang={lang}&layers=projects,municipalities,landuse"
        ));
        let (port, _local) = local_server(move |_| map.clone()).await;
        let (_chrome, mut cdp) = launch(400, 320).await;
        cdp.navigate(&format!("http://127.0.0.1:{port}/host.html"))
            .await;
        let mut ready = false;
        for _ in 0..480 {
            let r = eval_in_frame(
                &mut cdp,
                "document.body && document.body.dataset.ready === 'true' && document.body.dataset.rendered !== '0'",
            )
            .await;
            if r == true {
                ready = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
        assert!(ready, "the embedded map rendered ({lang})");
        let png = cdp.screenshot(Some(&format!("embed-260-{lang}"))).await;
        // no basemap configured: the built-in base draws water (the Lake of Tunis, the sea)
        let water = pixels(&png)
            .chunks(4)
            .filter(|c| {
                c[0].abs_diff(170) < 14 && c[1].abs_diff(203) < 14 && c[2].abs_diff(227) < 14
            })
            .count();
        assert!(water > 500, "the built-in base shows water: {water} pixels");
        let facts = eval_in_frame(
            &mut cdp,
            "(() => { const d = document.documentElement; const vis = id => { const e = document.getElementById(id); \
               if (!e) return false; const r = e.getBoundingClientRect(); \
               return r.width > 0 && r.height > 0 && r.top >= 0 && r.bottom <= innerHeight + 0.5 && r.left >= 0 && r.right <= innerWidth + 0.5; }; \
             return JSON.stringify({h: innerHeight, sh: d.scrollHeight, sw: d.scrollWidth, w: innerWidth, \
               bsh: document.body.scrollHeight, legend: vis('mini-legend'), fr: vis('lang-fr'), ar: vis('lang-ar'), \
               full: vis('full-map'), href: document.getElementById('full-map').getAttribute('href'), \
               place: document.getElementById('place').textContent, dir: d.dir, \
               attribOpen: !!document.querySelector('.maplibregl-compact-show') }); })()",
        )
        .await;
        let f: Value = serde_json::from_str(facts.as_str().unwrap()).unwrap();
        assert_eq!(f["h"], 260, "{f}");
        assert!(
            f["sh"].as_f64() <= f["h"].as_f64(),
            "no vertical scrollbar: {f}"
        );
        assert!(
            f["sw"].as_f64() <= f["w"].as_f64(),
            "no horizontal scrollbar: {f}"
        );
        for k in ["legend", "fr", "ar", "full"] {
            assert_eq!(f[k], true, "{k} is visible in the frame: {f}");
        }
        assert_eq!(f["attribOpen"], false, "attribution starts collapsed: {f}");
        let href = f["href"].as_str().unwrap();
        assert!(
            href.starts_with("/map?")
                && !href.contains("embed")
                && href.contains("municipality=1111"),
            "{f}"
        );
        let place = if lang == "ar" { "تونس" } else { "Tunis" };
        assert!(f["place"].as_str().unwrap().contains(place), "{f}");
        assert_eq!(f["dir"], if lang == "ar" { "rtl" } else { "ltr" });
    }
    srv.finish();
}
