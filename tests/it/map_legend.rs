//! The web map's legend, filters and first view, in headless Chromium against the real binary, at
//! desktop and phone widths in both languages: the first view holds the whole country with every
//! governorate labelled; the legend lists project statuses and themes, land-use classes,
//! facilities and boundaries while those layers are on (and drops a layer turned off); a click on
//! a status in the legend filters the map and shows a chip, and removing the chip removes the
//! filter. The legend's colours are the styles' (MapLibre and QGIS), and the facility palette is
//! far from every status colour. Screenshots in target/screenshots/.
use crate::common;

use common::chromium::{launch, pixels, Cdp};
use serde_json::Value;

/// Tunisia's extent (lon/lat): La Galite to Borj el Khadra, Tabarka to Ben Guerdane and Djerba.
const TUNISIA: [f64; 4] = [7.52, 30.23, 11.6, 37.54];

const BOUNDS: &str = "(() => { const b = window.__mokhattat.map.getBounds(); \
    return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; })()";
/// The governorates whose label the map placed.
const LABELS: &str = "(() => { const m = window.__mokhattat.map; \
    const f = m.queryRenderedFeatures({layers: ['governorates-label']}); \
    return [...new Set(f.map(x => x.properties.code))].length; })()";
const SECTIONS: &str =
    "[...document.querySelectorAll('#legend section')].map(s => s.dataset.legend).join(',')";
const CHIPS: &str = "JSON.stringify({chips: [...document.querySelectorAll('#chips .chip')].map(c => c.dataset.filter + '=' + c.dataset.value), \
    hidden: document.getElementById('chips').hidden, search: location.search, \
    tiles: window.__mokhattat.map.getSource('mokhattat').tiles[0]})";

/// The chips, the page's query and the tile URL once the map's source says `tiles_have` (or
/// lacks `tiles_lack`).
async fn chips(cdp: &mut Cdp, tiles_have: &str, tiles_lack: &str) -> Value {
    let mut last = Value::Null;
    for _ in 0..120 {
        last = serde_json::from_str(cdp.eval(CHIPS).await.as_str().unwrap()).unwrap();
        let tiles = last["tiles"].as_str().unwrap_or("");
        if tiles.contains(tiles_have) && !tiles.contains(tiles_lack) {
            return last;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    panic!(
        "the tiles did not follow the filters (want {tiles_have:?}, not {tiles_lack:?}): {last}"
    );
}

/// Opens the phone's panel (the legend is in it) when it is closed.
async fn open_panel(cdp: &mut Cdp) {
    let closed = cdp
        .eval("getComputedStyle(document.getElementById('panel')).display === 'none'")
        .await;
    if closed == true {
        cdp.click("#panel-toggle").await;
    }
}

async fn first_view(cdp: &mut Cdp, what: &str) {
    let b = cdp.eval(BOUNDS).await;
    let b: Vec<f64> = b
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert!(
        b[0] <= TUNISIA[0] && b[1] <= TUNISIA[1] && b[2] >= TUNISIA[2] && b[3] >= TUNISIA[3],
        "{what}: the first view {b:?} holds Tunisia {TUNISIA:?}"
    );
    let labelled = cdp
        .wait_for(
            &format!("{LABELS} >= 24 && {LABELS}"),
            "24 governorate labels",
        )
        .await;
    assert!(labelled.as_u64().unwrap() >= 24, "{what}: {labelled}");
}

async fn legend_and_chips(cdp: &mut Cdp, what: &str, lang: &str) {
    open_panel(cdp).await;
    // every group on
    cdp.eval(
        "document.querySelectorAll('#toggles input').forEach(i => { if (!i.checked) i.click(); })",
    )
    .await;
    let s = cdp.eval(SECTIONS).await;
    assert_eq!(s, "status,theme,landuse,facilities,boundaries", "{what}");
    let text = cdp
        .eval("document.getElementById('legend').textContent")
        .await;
    let expected: &[&str] = if lang == "ar" {
        &[
            "حالة المشاريع",
            "أشغال جارية",
            "الماء",
            "سكني",
            "مدرسة",
            "الولايات",
            "المعتمديات",
        ]
    } else {
        &[
            "Statut des projets",
            "Travaux en cours",
            "Eau",
            "Habitat",
            "École",
            "Gouvernorats",
            "Délégations",
        ]
    };
    for e in expected {
        assert!(
            text.as_str().unwrap().contains(e),
            "{what}: legend lacks {e}: {text}"
        );
    }
    // a layer turned off leaves the legend
    cdp.click("#toggles input[data-group=landuse]").await;
    assert_eq!(
        cdp.eval(SECTIONS).await,
        "status,theme,facilities,boundaries",
        "{what}"
    );
    cdp.click("#toggles input[data-group=landuse]").await;

    // filter by a status, then a theme: two chips
    cdp.click("#legend button[data-filter=status][data-value=completed]")
        .await;
    cdp.click("#legend button[data-filter=theme][data-value=water]")
        .await;
    // the tile URL starts with its cache version (`?v=…`); the filters follow it
    let c = chips(cdp, "&status=completed&theme=water", "\u{1}").await;
    assert_eq!(
        c["chips"],
        serde_json::json!(["status=completed", "theme=water"]),
        "{what}: {c}"
    );
    assert!(
        c["search"].as_str().unwrap().contains("status=completed"),
        "{what}: {c}"
    );
    assert!(
        c["tiles"]
            .as_str()
            .unwrap()
            .contains("status=completed&theme=water"),
        "{what}: {c}"
    );
    let chip = cdp
        .eval("document.querySelector('#chips .chip').textContent")
        .await;
    assert!(
        chip.as_str()
            .unwrap()
            .contains(if lang == "ar" { "منجز" } else { "Achevé" }),
        "{chip}"
    );
    cdp.wait_for(
        "(() => { const m = window.__mokhattat.map; return m.getSource('mokhattat').loaded() && m.areTilesLoaded() && m.loaded(); })()",
        "the filtered tiles loaded",
    )
    .await;
    cdp.wait_rendered().await;
    cdp.save_screenshot(&format!("map-filters-{what}")).await;
    // removing a chip removes its filter, and only it
    let hit = cdp.eval("(() => { const b = document.querySelector('#chips .chip[data-filter=status] .remove').getBoundingClientRect(); \
        const e = document.elementFromPoint(b.x + b.width / 2, b.y + b.height / 2); return e && (e.id || e.className); })()").await;
    assert_eq!(hit, "remove", "{what}: the chip's button is on top");
    cdp.click("#chips .chip[data-filter=status] .remove").await;
    let c = chips(cdp, "&theme=water", "status=").await;
    assert_eq!(
        c["chips"],
        serde_json::json!(["theme=water"]),
        "{what}: {c}"
    );
    assert!(
        !c["search"].as_str().unwrap().contains("status=")
            && !c["tiles"].as_str().unwrap().contains("status="),
        "{c}"
    );
    assert_eq!(
        cdp.eval("document.querySelector('#legend button[data-value=completed]').getAttribute('aria-pressed')").await,
        "false"
    );
    cdp.click("#chips .chip .remove").await;
    let c = chips(cdp, "proposals/", "theme=").await;
    assert!(
        c["chips"].as_array().unwrap().is_empty() && c["hidden"] == true,
        "{what}: {c}"
    );
    let tiles = c["tiles"].as_str().unwrap();
    assert!(
        !tiles.contains("status=") && !tiles.contains("theme="),
        "{what}: unfiltered tiles again: {c}"
    );
}

#[tokio::test]
async fn legend_filters_and_first_view_at_desktop_and_phone_widths() {
    let db = common::sample_db().await;
    let srv = common::ServerProcess::on(&db).await;
    for (w, h) in [(1280, 800), (390, 844)] {
        let (_chrome, mut cdp) = launch(w, h).await;
        for lang in ["fr", "ar"] {
            let what = format!("{w}x{h}-{lang}");
            cdp.navigate(&srv.url(&format!("/map?lang={lang}"))).await;
            cdp.wait_rendered().await;
            first_view(&mut cdp, &what).await;
            cdp.save_screenshot(&format!("map-national-{what}")).await;
            legend_and_chips(&mut cdp, &what, lang).await;
        }
    }
}

fn rgb(hex: &str) -> [f64; 3] {
    let v = |i: usize| f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap());
    [v(1), v(3), v(5)]
}

/// `["match", ["get", k], a, "#..", b, "#..", default]` (MapLibre) as pairs; QGIS's lists of one.
fn matches(expr: &Value) -> Vec<(String, String)> {
    let a = expr.as_array().unwrap();
    a[2..a.len() - 1]
        .chunks(2)
        .map(|p| {
            let k = p[0]
                .as_str()
                .map(String::from)
                .unwrap_or_else(|| p[0][0].as_str().unwrap().into());
            (k, p[1].as_str().unwrap().to_string())
        })
        .collect()
}

fn layer<'a>(style: &'a Value, id: &str) -> &'a Value {
    let layers = style["layers"].as_array();
    let found = layers.and_then(|a| a.iter().find(|l| l["id"] == id));
    found.unwrap_or_else(|| panic!("layer {id}"))
}

async fn json_at(srv: &common::ServerProcess, path: &str) -> Value {
    let r = reqwest::get(srv.url(path)).await.unwrap();
    r.json().await.unwrap()
}

#[tokio::test]
async fn the_legend_draws_the_styles_colours_and_facilities_stand_apart_from_statuses() {
    let db = common::sample_db().await;
    let srv = common::ServerProcess::on(&db).await;
    let get = |p: &str| reqwest::get(srv.url(p));
    let style = json_at(&srv, "/styles/planning.json").await;
    let qgis = json_at(&srv, "/styles/planning-qgis.json").await;
    let (_chrome, mut cdp) = launch(1000, 700).await;
    cdp.navigate(&srv.url("/map")).await;
    cdp.wait_rendered().await;
    let i18n: Value = serde_json::from_str(
        cdp.eval("JSON.stringify(window.mokhattatI18n)")
            .await
            .as_str()
            .unwrap(),
    )
    .unwrap();
    let point = layer(&style, "projects-point");
    for (table, expr) in [
        ("STATUS", &point["paint"]["circle-color"]),
        ("THEME", &point["paint"]["circle-stroke-color"]),
        (
            "LANDUSE",
            &layer(&style, "landuse-fill")["paint"]["fill-color"],
        ),
    ] {
        let pairs = matches(expr);
        assert_eq!(
            pairs.len(),
            i18n[table].as_object().unwrap().len(),
            "{table}"
        );
        for (k, colour) in pairs {
            assert_eq!(
                i18n[table][&k][2], colour,
                "{table} {k}: the legend's colour is the style's"
            );
        }
    }
    // the icons (sprite sheet) are drawn in the same colours: a pixel of each icon's square, off its glyph
    let index = json_at(&srv, "/styles/sprites/planning.json").await;
    let png = get("/styles/sprites/planning.png")
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let px = pixels(&png);
    let sheet_w: u64 = index
        .as_object()
        .unwrap()
        .values()
        .map(|i| i["x"].as_u64().unwrap() + i["width"].as_u64().unwrap())
        .max()
        .unwrap();
    for (k, v) in i18n["FACILITY"].as_object().unwrap() {
        let qc = &layer(&qgis, &format!("facilities-{k}"))["paint"]["circle-color"];
        assert_eq!(
            &v[2], qc,
            "facility {k}: the legend's colour is the QGIS style's"
        );
        let i = &index[k];
        let side = i["width"].as_u64().unwrap();
        let (x, y) = (i["x"].as_u64().unwrap() + side * 85 / 100, side / 2);
        let o = ((y * sheet_w + x) * 4) as usize;
        let want = rgb(v[2].as_str().unwrap());
        for c in 0..3 {
            assert!(
                (f64::from(px[o + c]) - want[c]).abs() <= 2.0,
                "icon {k} at ({x}, {y}): {:?} is not {v}",
                &px[o..o + 4]
            );
        }
        let f = rgb(v[2].as_str().unwrap());
        for (s, sv) in i18n["STATUS"].as_object().unwrap() {
            let c = rgb(sv[2].as_str().unwrap());
            let d = ((f[0] - c[0]).powi(2) + (f[1] - c[1]).powi(2) + (f[2] - c[2]).powi(2)).sqrt();
            assert!(
                d >= 60.0,
                "facility {k} {v} is too close to status {s} {sv}: {d:.0}"
            );
        }
    }
}
