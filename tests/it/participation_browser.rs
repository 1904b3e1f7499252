//! Issue 11 in a real browser: a citizen proposes on `/map` in Arabic (headless Chromium, real
//! mouse and keyboard input), supports and comments it; the proposal exists in the API without
//! its author's name or contact in any public answer; a moderator (admin key) prepares then
//! publishes an answer; the citizen reloads the map, clicks the proposal and reads the answer.
//! Screenshots: target/screenshots/participation-*.png (CI artefacts).
use crate::common;

use serde_json::{json, Value};

/// A point in the medina of Tunis (commune 1111).
const TUNIS: [f64; 2] = [10.1700, 36.7990];
const TITLE: &str = "إنارة نهج الباشا";
const BODY: &str = "النهج مظلم ليلا منذ أشهر، نطلب تركيب أعمدة إنارة.";
const NAME: &str = "سامية المخفية";
const CONTACT: &str = "samia.private-7731@example.tn";
const ANSWER: &str = "تمت برمجة الإنارة في البرنامج السنوي للاستثمار 2027";

/// The pixel of (lon, lat) on the page.
async fn pixel_of(cdp: &mut common::chromium::Cdp, lon: f64, lat: f64) -> (f64, f64) {
    let v = cdp
        .eval(&format!(
            "(() => {{ const m = window.__mokhattat.map; const p = m.project([{lon}, {lat}]); \
             const r = m.getCanvas().getBoundingClientRect(); return [r.x + p.x, r.y + p.y]; }})()"
        ))
        .await;
    (v[0].as_f64().unwrap(), v[1].as_f64().unwrap())
}

async fn text_of(cdp: &mut common::chromium::Cdp, selector: &str) -> String {
    let e = format!(
        "(document.querySelector({}) || {{}}).textContent || ''",
        json!(selector)
    );
    cdp.eval(&e).await.as_str().unwrap_or_default().to_string()
}

/// The public JSON of proposal `id`.
async fn public_json(srv: &common::ServerProcess, id: i64) -> Value {
    let path = format!("/api/participation/proposals/{id}");
    common::http::get_json(srv.url(&path)).await
}

/// Every public output that could leak the author: none holds the name or the contact.
async fn assert_private(srv: &common::ServerProcess, id: i64) {
    for path in [
        format!("/api/participation/proposals/{id}"),
        "/api/participation/proposals?municipality=1111".to_string(),
        format!("/api/participation/proposals/{id}/comments"),
        format!("/api/participation/proposals/{id}/similar"),
        "/api/participation/export/proposals.csv?municipality=1111".to_string(),
        "/api/participation/export/proposals.geojson".to_string(),
        "/api/participation/communes/1111/you-said-we-did".to_string(),
        "/map?lang=ar&municipality=1111".to_string(),
    ] {
        let r = reqwest::get(srv.url(&path)).await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        let body = r.text().await.unwrap();
        assert!(!body.contains(CONTACT), "{path} shows the contact: {body}");
        assert!(
            !body.contains(NAME),
            "{path} shows the author's name: {body}"
        );
    }
}

/// Submits the proposal through the page, as a person would; its id.
async fn propose_in_arabic(cdp: &mut common::chromium::Cdp) -> i64 {
    cdp.click("#propose-btn").await;
    let until = "document.body.classList.contains('mk-placing')";
    cdp.wait_for(until, "placing mode").await;
    cdp.save_screenshot("participation-ar-placing").await;
    let (x, y) = pixel_of(cdp, TUNIS[0], TUNIS[1]).await;
    cdp.click_at(x, y).await;
    let until = "!document.getElementById('propose-sheet').hidden && document.activeElement.id === 'propose-title'";
    cdp.wait_for(until, "the form opens with the title focused")
        .await;
    assert_eq!(
        text_of(cdp, "#propose-heading").await,
        "مقترحك",
        "an Arabic form"
    );
    assert_eq!(
        cdp.eval("document.getElementById('propose-sheet').dir")
            .await,
        "rtl"
    );
    cdp.type_text(TITLE).await;
    // sent without its text: the API's refusal, in Arabic, and the form stays as typed
    cdp.click("#propose-submit").await;
    let until = "document.querySelector('#propose-message.mk-error')";
    cdp.wait_for(until, "the API's refusal shown").await;
    let refusal = text_of(cdp, "#propose-message").await;
    assert!(
        refusal.starts_with("لم يُرسل المقترح.") && refusal.contains("الحقل body إجباري"),
        "{refusal}"
    );
    assert_eq!(
        cdp.eval("document.getElementById('propose-title').value")
            .await,
        TITLE
    );
    cdp.eval("document.getElementById('propose-theme').value = 'lighting'")
        .await;
    for (field, text) in [
        ("#propose-body", BODY),
        ("#propose-name", NAME),
        ("#propose-contact", CONTACT),
    ] {
        cdp.click(field).await;
        cdp.type_text(text).await;
    }
    // the honeypot stays out of reach: hidden, not focusable
    assert_eq!(
        cdp.eval("document.getElementById('propose-form-website').tabIndex")
            .await,
        -1
    );
    cdp.save_screenshot("participation-ar-form").await;
    cdp.click("#propose-submit").await;
    let until = "document.getElementById('propose-success')";
    cdp.wait_for(until, "the success message").await;
    let success = text_of(cdp, "#propose-success").await;
    assert!(success.contains("احتفظ بهذا الرابط"), "{success}");
    let link = text_of(cdp, "#propose-edit-link").await;
    assert!(link.contains("#edit="), "an edit link: {link}");
    assert!(
        cdp.save_screenshot("participation-ar-submitted").await > 20,
        "a non-blank page"
    );
    cdp.eval("window.__mokhattatPropose.lastSubmit.id")
        .await
        .as_i64()
        .expect("the id of the new proposal")
}

/// Clicks the proposal's dot on the map and waits for its panel.
async fn open_on_map(cdp: &mut common::chromium::Cdp, id: i64) {
    let until = "Number(document.body.getAttribute('data-proposals')) > 0";
    cdp.wait_for(until, "proposals loaded").await;
    cdp.wait_rendered().await;
    let (x, y) = pixel_of(cdp, TUNIS[0], TUNIS[1]).await;
    cdp.click_at(x, y).await;
    let until = format!("(window.__mokhattatPropose.panel || {{}}).id === {id}");
    cdp.wait_for(&until, "the proposal's panel").await;
}

#[tokio::test]
async fn a_citizen_proposes_in_arabic_and_reads_the_published_answer() {
    let (db, srv) = common::sample_process().await;
    let admin = common::key(&db, "admin", &[], None).await;
    let (_chrome, mut cdp) = common::chromium::launch(1100, 750).await;

    let map_url = srv.url("/map?lang=ar&municipality=1111");
    cdp.navigate(&map_url).await;
    cdp.wait_rendered().await;
    assert_eq!(text_of(&mut cdp, "#propose-btn").await, "اقترح");
    cdp.save_screenshot("participation-ar-map").await;
    let id = propose_in_arabic(&mut cdp).await;

    // the API has it, as typed, tagged with the commune; nothing of the author is public
    let r = reqwest::get(srv.url(&format!("/api/participation/proposals/{id}")))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let p: Value = r.json().await.unwrap();
    assert_eq!(p["title"], TITLE, "{p}");
    assert_eq!(p["body"], BODY, "{p}");
    assert_eq!(p["lang"], "ar", "{p}");
    assert_eq!(p["theme"], "lighting", "{p}");
    assert_eq!(p["state"], "published", "{p}");
    assert_eq!(p["municipality_code"], "1111", "{p}");
    let lon = p["lon"].as_f64().unwrap();
    assert!((lon - TUNIS[0]).abs() < 0.002, "placed where clicked: {p}");
    assert_private(&srv, id).await;

    // the citizen supports it and comments, from its panel
    open_on_map(&mut cdp, id).await;
    cdp.click("#proposal-support").await;
    let until = "(window.__mokhattatPropose.panel || {}).supports === 1";
    cdp.wait_for(until, "one support").await;
    assert_eq!(
        text_of(&mut cdp, "#proposal-support").await,
        "أنت تساند هذا المقترح"
    );
    cdp.click("#comment-body").await;
    cdp.type_text("<b>أنا أيضا</b> أسكن هنا").await;
    cdp.click("#comment-submit").await;
    let until = "(window.__mokhattatPropose.panel || {}).comments === 1";
    cdp.wait_for(until, "the comment").await;
    // text, never markup
    assert_eq!(
        cdp.eval("document.querySelectorAll('#proposal-comments b').length")
            .await,
        0
    );
    assert!(text_of(&mut cdp, "#proposal-comments")
        .await
        .contains("<b>أنا أيضا</b>"));

    // a moderator prepares the answer (invisible), then publishes it
    let client = reqwest::Client::new();
    let answer = srv.url(&format!("/api/participation/proposals/{id}/answer"));
    let draft = json!({"state": "accepted", "answer": ANSWER, "publish": false});
    for body in [draft, json!({})] {
        let r = client
            .post(&answer)
            .bearer_auth(&admin)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
        if body != json!({}) {
            let p = public_json(&srv, id).await;
            assert!(p["answer"].is_null(), "a draft is not public: {p}");
        }
    }

    // the citizen reloads and reads the answer on the proposal's panel
    cdp.call("Page.reload", json!({})).await;
    cdp.wait_rendered().await;
    open_on_map(&mut cdp, id).await;
    assert_eq!(text_of(&mut cdp, "#proposal-answer p").await, ANSWER);
    assert_eq!(text_of(&mut cdp, "#proposal-state").await, "مقبول");
    assert!(text_of(&mut cdp, "#proposal-supports").await.contains('1'));
    assert_eq!(
        cdp.eval("document.getElementById('proposal-support')")
            .await,
        Value::Null,
        "an accepted proposal takes no more supports"
    );
    cdp.save_screenshot("participation-ar-answer").await;
    assert_private(&srv, id).await;

    // phone width: the panel is a bottom sheet; then French
    cdp.viewport(390, 800, true).await;
    cdp.wait_rendered().await;
    let bottom = cdp
        .eval(
            "Math.round(document.getElementById('proposal-panel').getBoundingClientRect().bottom)",
        )
        .await;
    assert_eq!(bottom, 800, "a bottom sheet at phone width");
    cdp.save_screenshot("participation-ar-phone").await;
    cdp.click("#lang-fr").await;
    let until = "(window.__mokhattatPropose.panel || {}).id && document.getElementById('proposal-state').textContent === 'Acceptée'";
    cdp.wait_for(until, "the panel in French").await;
    assert_eq!(text_of(&mut cdp, "#propose-btn").await, "Proposer");
    cdp.save_screenshot("participation-fr-phone").await;
    keyboard_only_at_phone_width(&mut cdp).await;

    // the embedded map of the commune: the same button and the same proposals
    cdp.viewport(800, 560, false).await;
    cdp.navigate(&srv.url("/map?embed=1&municipality=1111"))
        .await;
    cdp.wait_rendered().await;
    let until = "Number(document.body.getAttribute('data-proposals')) === 1";
    cdp.wait_for(until, "the commune's proposal in the embedded map")
        .await;
    assert_eq!(text_of(&mut cdp, "#propose-btn").await, "Proposer");
    cdp.save_screenshot("participation-fr-embed").await;
    draw_an_area(&srv, &mut cdp).await;
    withdraw_with_the_edit_link(&srv, &mut cdp).await;
    srv.finish();
}

/// The link given at submission opens the proposal with a withdraw button, which works.
async fn withdraw_with_the_edit_link(srv: &common::ServerProcess, cdp: &mut common::chromium::Cdp) {
    let r: Value = reqwest::Client::new()
        .post(srv.url("/api/participation/proposals"))
        .json(
            &json!({"geometry": {"type": "Point", "coordinates": [10.18, 36.80]},
            "theme": "waste", "lang": "fr", "title": "Conteneurs", "body": "Il en manque."}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let (id, token) = (r["id"].as_i64().unwrap(), r["edit_token"].as_str().unwrap());
    let link = format!("/map?lang=fr&proposal={id}&municipality=1111#edit={id}.{token}");
    cdp.navigate(&srv.url(&link)).await;
    cdp.wait_rendered().await;
    let until = format!("(window.__mokhattatPropose.panel || {{}}).id === {id}");
    cdp.wait_for(&until, "the proposal of the link").await;
    assert!(
        !cdp.eval("location.hash")
            .await
            .as_str()
            .unwrap()
            .contains(token),
        "the token leaves the address bar"
    );
    cdp.click("#proposal-withdraw").await;
    let until = "(window.__mokhattatPropose.panel || {}).state === 'withdrawn'";
    cdp.wait_for(until, "withdrawn").await;
    assert_eq!(text_of(cdp, "#proposal-state").await, "Retirée");
    cdp.save_screenshot("participation-fr-withdrawn").await;
}

/// Without a pointer: Escape closes the panel, Enter on the focused "map centre" button drops the
/// pin, the arrow keys move it, and the form is a bottom sheet; Escape cancels it.
async fn keyboard_only_at_phone_width(cdp: &mut common::chromium::Cdp) {
    cdp.press("Escape").await;
    let until = "document.getElementById('proposal-panel').hidden";
    cdp.wait_for(until, "Escape closes the panel").await;
    cdp.eval("document.getElementById('propose-btn').focus()")
        .await;
    cdp.press("Enter").await;
    let until = "document.activeElement.id === 'propose-centre'";
    cdp.wait_for(until, "the map-centre button takes the focus")
        .await;
    cdp.press("Enter").await;
    let until = "document.activeElement.id === 'propose-title'";
    cdp.wait_for(until, "the form opens on the title").await;
    let before = text_of(cdp, "#propose-where").await;
    cdp.eval("document.querySelector('.mk-pin').focus()").await;
    cdp.press("ArrowUp").await;
    assert_ne!(
        text_of(cdp, "#propose-where").await,
        before,
        "the pin moved"
    );
    let bottom = cdp
        .eval("Math.round(document.getElementById('propose-sheet').getBoundingClientRect().bottom)")
        .await;
    assert_eq!(bottom, 800, "the form is a bottom sheet at phone width");
    assert_eq!(text_of(cdp, "#propose-heading").await, "Votre proposition");
    cdp.save_screenshot("participation-fr-phone-form").await;
    cdp.press("Escape").await;
    let until =
        "document.getElementById('propose-sheet').hidden && !document.querySelector('.mk-pin')";
    cdp.wait_for(until, "Escape cancels the proposal").await;
}

/// A proposal for a small area: three corners clicked on the map, then the form.
async fn draw_an_area(srv: &common::ServerProcess, cdp: &mut common::chromium::Cdp) {
    cdp.click("#propose-btn").await;
    cdp.click("#propose-area").await;
    let corners = [[10.160, 36.792], [10.180, 36.792], [10.170, 36.806]];
    for [lon, lat] in corners {
        let (x, y) = pixel_of(cdp, lon, lat).await;
        cdp.click_at(x, y).await;
    }
    let until = "!document.getElementById('propose-finish').disabled";
    cdp.wait_for(until, "three corners make an area").await;
    cdp.save_screenshot("participation-fr-area").await;
    cdp.click("#propose-finish").await;
    let until = "document.activeElement.id === 'propose-title'";
    cdp.wait_for(until, "the form for the area").await;
    assert_eq!(text_of(cdp, "#propose-where").await, "Zone de 3 points");
    cdp.type_text("Jardin de quartier").await;
    cdp.click("#propose-body").await;
    cdp.type_text("Un petit jardin sur ce terrain vague.").await;
    cdp.click("#propose-submit").await;
    let until = "document.getElementById('propose-success')";
    cdp.wait_for(until, "the area is received").await;
    let id = cdp
        .eval("window.__mokhattatPropose.lastSubmit.id")
        .await
        .as_i64()
        .unwrap();
    let p = public_json(srv, id).await;
    assert_eq!(p["geometry"]["type"], "Polygon", "{p}");
    assert_eq!(
        p["geometry"]["coordinates"][0].as_array().unwrap().len(),
        4,
        "{p}"
    );
    assert_eq!(p["lang"], "fr", "{p}");
}
