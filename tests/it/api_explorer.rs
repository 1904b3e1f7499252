//! `/api.html` in headless Chromium: the Swagger UI explorer (vendored, served by the server)
//! loads `/api`, shows the bilingual header, and a "try it" request on `GET /collections` shows
//! the server's answer in the page. The screenshot is kept as `target/screenshots/api-explorer.png`.
use crate::common;

use serde_json::json;

#[tokio::test]
async fn api_html_tries_get_collections_and_shows_the_answer() {
    let (_db, srv) = common::sample_process().await;
    let (_chrome, mut cdp) = common::chromium::launch(1200, 900).await;
    cdp.call("Page.navigate", json!({"url": srv.url("/api.html")}))
        .await;
    // the document is loaded and rendered: its tags are listed, "Features" opens
    cdp.wait_for(
        "!!document.querySelector('#operations-tag-Features')",
        "Swagger UI renders /api",
    )
    .await;
    let tags = cdp
        .eval("document.querySelectorAll('.opblock-tag-section').length")
        .await;
    let doc: serde_json::Value = common::http::get_json(srv.url("/api?f=json")).await;
    let declared = doc["tags"].as_array().unwrap().len();
    assert_eq!(tags, json!(declared), "one section per tag of the document");
    cdp.eval("document.querySelector('#operations-tag-Features').click()")
        .await;
    let op = "#operations-Features-collections";
    cdp.wait_for(
        &format!("!!document.querySelector('{op}')"),
        "the collections operation",
    )
    .await;
    assert_eq!(
        cdp.eval("document.querySelector('#intro [lang=ar] h1').textContent")
            .await,
        "مخطط — واجهة البرمجة"
    );
    assert_eq!(
        cdp.eval("document.querySelector('#intro [lang=ar]').dir")
            .await,
        "rtl"
    );
    // open the operation, "Try it out", "Execute"
    for (control, what) in [
        (".opblock-summary-control", "the operation's summary"),
        (".try-out__btn", "the Try it out button"),
        ("button.execute", "the Execute button"),
    ] {
        let at = format!("document.querySelector('{op} {control}')");
        cdp.wait_for(&format!("!!{at}"), what).await;
        cdp.eval(&format!("{at}.click()")).await;
    }
    let live = format!("{op} .live-responses-table");
    cdp.wait_for(
        &format!("!!document.querySelector('{live} tr.response .response-col_status')"),
        "the answer appears",
    )
    .await;
    let status = cdp
        .eval(&format!(
            "document.querySelector('{live} tr.response .response-col_status').textContent.trim()"
        ))
        .await;
    assert_eq!(status, "200");
    let body = cdp
        .eval(&format!(
            "document.querySelector('{live} tr.response .response-col_description').textContent"
        ))
        .await;
    let body = body.as_str().unwrap();
    assert!(
        body.contains("\"collections\"") && body.contains("municipalities"),
        "the answer shown: {body}"
    );
    cdp.eval(&format!(
        "document.querySelector('{live}').scrollIntoView()"
    ))
    .await;
    cdp.save_screenshot("api-explorer").await;
    srv.finish();
}
