//! The diagnosis sheet as a document, in headless Chromium against the real server and database:
//! printed to PDF (Page.printToPDF, the page's own CSS page size) in French and Arabic, `pdfinfo`
//! says A4 and `pdftotext` finds the footer (source URL, "page / pages") on every page; every chart
//! label fits its chart and the chart fits the printed page; a line project is drawn as a line.
//! PDFs, their first pages as PNG and screenshots land in target/screenshots/.
use crate::common;

use std::process::Command;

use base64::Engine;
use common::chromium::{launch, screenshot_dir, Cdp};
use serde_json::{json, Value};

/// A4 in PostScript points.
const A4: (f64, f64) = (595.28, 841.89);
/// The printable width of the sheet's A4 page (210 mm less 2 × 14 mm margins) in CSS px.
const PRINT_WIDTH: f64 = 182.0 / 25.4 * 96.0;

/// Each chart label's box in its chart's coordinates, and each chart's box on the page.
const CHART_BOXES: &str = "JSON.stringify([...document.querySelectorAll('svg.chart')].map(svg => ({
    width: svg.viewBox.baseVal.width, left: svg.getBoundingClientRect().left,
    right: svg.getBoundingClientRect().right,
    texts: [...svg.querySelectorAll('text')].map(t => { const b = t.getBBox();
        return {text: t.textContent, x: b.x, right: b.x + b.width}; })})))";

/// The line project T-SHEET-ROAD across Tunis, published, with its unit assignments.
async fn line_project(pool: &sqlx::PgPool) {
    let pid = crate::planning::project(pool, "T-SHEET-ROAD", "road", "2500000.4").await;
    crate::planning::location(pool, pid, "exact", None, crate::planning::ACROSS_TUNIS).await;
}

fn run(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} is installed (poppler-utils): {e}"));
    assert!(
        out.status.success(),
        "{cmd} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Prints the current page to target/screenshots/<name>.pdf; its path.
async fn print_pdf(cdp: &mut Cdp, name: &str) -> String {
    let r = cdp
        .call(
            "Page.printToPDF",
            json!({"preferCSSPageSize": true, "printBackground": true}),
        )
        .await;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(r["data"].as_str().unwrap())
        .unwrap();
    let path = screenshot_dir().join(format!("{name}.pdf"));
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

/// `pdfinfo` says A4 on every page; the number of pages.
fn a4_pages(pdf: &str) -> usize {
    let info = run("pdfinfo", &["-f", "1", "-l", "99", pdf]);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count: {info}"));
    let sizes: Vec<&str> = info
        .lines()
        .filter(|l| l.starts_with("Page ") && l.contains(" size:"))
        .collect();
    assert_eq!(sizes.len(), pages, "{info}");
    for l in sizes {
        let nums: Vec<f64> = l
            .split_whitespace()
            .filter_map(|w| w.parse().ok())
            .collect();
        let (w, h) = (nums[nums.len() - 2], nums[nums.len() - 1]);
        assert!(
            (w - A4.0).abs() <= 1.0 && (h - A4.1).abs() <= 1.0,
            "an A4 page: {l}"
        );
    }
    pages
}

async fn check_charts(cdp: &mut Cdp, lang: &str) {
    let boxes: Value = serde_json::from_str(cdp.eval(CHART_BOXES).await.as_str().unwrap()).unwrap();
    let charts = boxes.as_array().unwrap();
    assert!(!charts.is_empty(), "{lang}: the sheet has charts");
    let mut labels = 0;
    for c in charts {
        let width = c["width"].as_f64().unwrap();
        assert!(
            c["left"].as_f64().unwrap() >= -0.5
                && c["right"].as_f64().unwrap() <= PRINT_WIDTH + 0.5,
            "{lang}: a chart fits the printed page: {c}"
        );
        for t in c["texts"].as_array().unwrap() {
            labels += 1;
            let (x, right) = (t["x"].as_f64().unwrap(), t["right"].as_f64().unwrap());
            assert!(
                x >= -0.5 && right <= width + 0.5,
                "{lang}: label {t} within its chart (0 … {width})"
            );
            assert!(
                !t["text"].as_str().unwrap().contains('…'),
                "{lang}: cut label {t}"
            );
            let raw = t["text"].as_str().unwrap();
            let code = !raw.is_empty() && raw.chars().all(|c| c.is_ascii_lowercase() || c == '_');
            assert!(!code, "{lang}: a code instead of a name: {t}");
        }
    }
    assert!(
        labels >= 8,
        "{lang}: labels and values were measured: {labels}"
    );
}

/// Opens the sheet at `path` in `lang`; checks its direction and its charts as laid out for print;
/// prints it to target/screenshots/<name>.pdf; `pdfinfo` says A4 and every page's text has the
/// source URL and "page / pages". The number of pages.
async fn print_and_check(
    cdp: &mut Cdp,
    srv: &common::TestServer,
    path: &str,
    name: &str,
    lang: &str,
) -> usize {
    cdp.navigate(&srv.url(path)).await;
    cdp.wait_for(
        "document.readyState === 'complete' && document.documentElement.lang",
        "the sheet loaded",
    )
    .await;
    let dir = cdp.eval("document.documentElement.dir").await;
    assert_eq!(dir, if lang == "ar" { "rtl" } else { "ltr" }, "{name}");
    cdp.save_screenshot(&format!("{name}-screen")).await;
    // laid out as printed: print media, the page's printable width
    cdp.call("Emulation.setEmulatedMedia", json!({"media": "print"}))
        .await;
    cdp.viewport(PRINT_WIDTH.floor() as u32, 1100, false).await;
    check_charts(cdp, name).await;
    cdp.call("Emulation.setEmulatedMedia", json!({"media": ""}))
        .await;
    cdp.call("Emulation.clearDeviceMetricsOverride", json!({}))
        .await;

    let pdf = print_pdf(cdp, name).await;
    let pages = a4_pages(&pdf);
    let source = srv.url(path);
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    for page in 1..=pages {
        let p = page.to_string();
        let text = run("pdftotext", &["-f", &p, "-l", &p, "-layout", &pdf, "-"]);
        assert!(
            squeeze(&text).contains(&squeeze(&source)),
            "{name}: page {page} of {pages} names its source {source}:\n{text}"
        );
        assert!(
            text.contains(&format!("{page} / {pages}")),
            "{name}: page {page} says \"{page} / {pages}\":\n{text}"
        );
    }
    let png = screenshot_dir()
        .join(format!("{name}-p1"))
        .display()
        .to_string();
    run(
        "pdftoppm",
        &[
            "-f",
            "1",
            "-l",
            "1",
            "-r",
            "60",
            "-png",
            "-singlefile",
            &pdf,
            &png,
        ],
    );
    pages
}

/// The road on the open sheet: a path of several vertices with the line class, in the legend.
async fn check_road(cdp: &mut Cdp, lang: &str) {
    let road = cdp
        .eval("(() => { const t = [...document.querySelectorAll('svg.map title')].find(t => t.textContent === 'T-SHEET-ROAD'); \
               const e = t && t.parentElement; return e ? [e.tagName, e.getAttribute('class'), (e.getAttribute('d') || '').split(/[ML]/).length] : null; })()")
        .await;
    assert_eq!(
        road[0], "path",
        "{lang}: the road is drawn as a path: {road}"
    );
    assert!(road[1].as_str().unwrap().starts_with("line"), "{road}");
    assert!(
        road[2].as_u64().unwrap() >= 3,
        "{lang}: the road has vertices: {road}"
    );
    let legend = cdp
        .eval("document.querySelector('figcaption.legend').textContent")
        .await;
    let expected = if lang == "ar" {
        "مشروع خطي"
    } else {
        "Projet linéaire"
    };
    assert!(
        legend.as_str().unwrap().contains(expected),
        "{lang}: {legend}"
    );
    let scale = cdp
        .eval(
            "[...document.querySelectorAll('svg.map g.scale text')].map(t => t.textContent).join()",
        )
        .await;
    assert!(
        scale.as_str().unwrap().ends_with(" km"),
        "{lang}: a scale bar in km: {scale}"
    );
}

#[tokio::test]
async fn the_sheet_prints_as_a4_with_its_footer_on_every_page_in_both_languages() {
    let (db, srv) = common::sample_server().await;
    line_project(&db.pool).await;
    let (status, d) = srv.get_json("/api/units/municipality/1111/diagnosis").await;
    assert_eq!(status, 200, "{d}");
    let shapes = d["map"]["shapes"].as_array().unwrap();
    assert!(
        shapes
            .iter()
            .any(|s| s["code"] == "T-SHEET-ROAD" && s["kind"] == "line"),
        "the road is a line on the map: {shapes:?}"
    );
    let (_chrome, mut cdp) = launch(1100, 1400).await;
    for lang in ["fr", "ar"] {
        let path = format!("/api/units/municipality/1111/diagnosis?f=html&lang={lang}");
        print_and_check(&mut cdp, &srv, &path, &format!("sheet-{lang}"), lang).await;
        check_road(&mut cdp, lang).await;
    }
    // a governorate: 24 governorates compared, the longest chart
    let path = "/api/units/governorate/11/diagnosis?f=html&lang=ar";
    print_and_check(&mut cdp, &srv, path, "sheet-governorate-ar", "ar").await;
    let bars = cdp
        .eval("document.querySelectorAll('svg.chart')[3].querySelectorAll('rect').length")
        .await;
    assert_eq!(bars, 24, "every governorate in the comparison");
}

#[tokio::test]
async fn a_unit_without_projects_says_so_plainly() {
    let (db, srv) = common::sample_server().await;
    let code: String = sqlx::query_scalar(
        "SELECT u.code FROM admin_unit u WHERE u.level = 'municipality' AND u.valid_to IS NULL
           AND NOT EXISTS (SELECT 1 FROM location_assignment a WHERE a.level = 'municipality'
                           AND a.unit_code = u.code AND a.valid_to IS NULL)
         ORDER BY u.code LIMIT 1",
    )
    .fetch_one(&db.pool)
    .await
    .expect("a municipality without any project location in the sample");
    let (_, d) = srv
        .get_json(&format!("/api/units/municipality/{code}/diagnosis"))
        .await;
    assert_eq!(d["projects"]["count"], 0, "{d}");
    for (lang, said) in [
        ("fr", "Aucun projet pour l'instant."),
        ("ar", "لا يوجد أي مشروع إلى حد الآن."),
    ] {
        let path = format!("/api/units/municipality/{code}/diagnosis?f=html&lang={lang}");
        let html = srv.text(&path).await;
        assert!(
            html.matches(said).count() >= 2,
            "{lang}: charts and list say there is none: {code}"
        );
        assert!(
            !html.contains("<table class=\"projects\""),
            "{lang}: no empty table"
        );
    }
}
