//! Issue 12 items 3, 6, 9, 10 over HTTP: project and unit pages (visibility as the API, escaping),
//! the OGC API items pages (names as headings, empty columns hidden, the count sentence in both
//! languages, a map), and the landing page (links answer the type they announce, a favicon).
use crate::common;

use serde_json::Value;
use sqlx::PgPool;

/// What a browser sends when following a link.
const BROWSER: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
const SCRIPT: &str = "<script>alert('x')</script>";

/// A project under way with one exact point in Tunis (municipality 1111); returns its id.
pub async fn project(pool: &PgPool, code: &str, title: &str, public: bool) -> i64 {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO project (code, title_fr, project_type, budget_tnd, status, is_public, planned_start, planned_end)
         VALUES ($1, $2, 'building', 250000, 'works_under_way', $3, current_date - 30, current_date + 700) RETURNING id",
    )
    .bind(code)
    .bind(title)
    .bind(public)
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO project_location (project_id, source_id, precision, place_name, geom)
         VALUES ($1, 'a', 'exact', 'Bab Bhar', ST_SetSRID(ST_MakePoint(10.1815, 36.7990), 4326))",
    )
    .bind(id)
    .execute(pool)
    .await
    .unwrap();
    id
}

/// The body of an anonymous page.
async fn anon(srv: &common::TestServer, path: &str) -> String {
    html(srv, path, None).await.2
}

async fn html(srv: &common::TestServer, path: &str, key: Option<&str>) -> (u16, String, String) {
    let mut req = srv.client.get(srv.url(path)).header("accept", BROWSER);
    if let Some(k) = key {
        req = req.bearer_auth(k);
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    let ct = r.headers()["content-type"].to_str().unwrap().to_string();
    (status, ct, r.text().await.unwrap())
}

#[tokio::test]
async fn a_hidden_project_is_404_for_anonymous_and_shown_to_its_planner() {
    let (db, srv) = common::sample_server().await;
    project(&db.pool, "HID-1", "Projet caché", false).await;
    let planner = common::key(&db, "planner", &["1111"], None).await;
    let (status, ct, body) = html(&srv, "/projects/HID-1?lang=fr", None).await;
    assert_eq!(status, 404, "{body}");
    assert!(ct.starts_with("text/html"), "{ct}");
    assert!(body.contains("Aucun projet de code « HID-1 »"), "{body}");
    assert!(body.contains("لا يوجد مشروع بالرمز"), "{body}");
    assert!(!body.contains("Projet caché"), "nothing of it is revealed");
    // the same decision as the API
    assert_eq!(srv.status("/api/projects/HID-1/context").await, 404);
    let (status, _, body) = html(&srv, "/projects/HID-1?lang=fr", Some(&planner)).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("<h1>Projet caché</h1>"), "{body}");
    let r = srv.get_as("/api/projects/HID-1/context", &planner).await;
    assert_eq!(r.status(), 200);
    // the unit page lists it to the planner only
    let public = anon(&srv, "/units/municipality/1111").await;
    let (_, _, keyed) = html(&srv, "/units/municipality/1111", Some(&planner)).await;
    assert!(!public.contains("/projects/HID-1"), "anonymous unit page");
    assert!(keyed.contains("/projects/HID-1"), "planner's unit page");
}

#[tokio::test]
async fn a_title_with_a_script_is_escaped_on_every_page() {
    let (db, srv) = common::sample_server().await;
    let id = project(&db.pool, "XSS-1", SCRIPT, true).await;
    for path in [
        "/projects/XSS-1?lang=fr".to_string(),
        "/projects/XSS-1?lang=ar".to_string(),
        "/units/municipality/1111?lang=fr".to_string(),
        "/units/municipality/1111?lang=ar".to_string(),
        "/collections/projects/items?f=html&limit=1000".to_string(),
        format!("/collections/projects/items/{id}?f=html"),
        "/api/units/municipality/1111/diagnosis?f=html".to_string(),
    ] {
        let (status, ct, body) = html(&srv, &path, None).await;
        assert_eq!(status, 200, "{path}: {body}");
        assert!(ct.starts_with("text/html"), "{path}: {ct}");
        assert!(!body.contains(SCRIPT), "{path} carries the raw script");
        assert!(
            body.contains("&lt;script&gt;alert("),
            "{path} shows the title, escaped"
        );
    }
}

#[tokio::test]
async fn the_project_page_says_status_history_budget_progress_map_and_units() {
    let (db, srv, admin) = common::sample_server_with_admin().await;
    let id = project(&db.pool, "PAGE-1", "Réhabilitation du marché", true).await;
    // codes are shown by their names in the page's language
    db.exec("UPDATE project SET theme = 'water' WHERE id = $1", (id,))
        .await;
    db.exec(
        "INSERT INTO funding_line (project_id, source_kind, funder, amount, amount_tnd) VALUES ($1, 'donor_grant', 'GIZ', 1000, 1000)",
        (id,),
    )
    .await;
    for (body, date) in [(30, "2025-03-01"), (55, "2025-09-01")] {
        let (status, answer) = common::send(
            &srv,
            reqwest::Method::POST,
            "/api/projects/PAGE-1/progress",
            Some(&admin),
            Some(serde_json::json!({"physical_pct": body, "paid_tnd": body * 1000, "date": date})),
        )
        .await;
        assert!(status < 300, "{status} {answer}");
    }
    // a change dated in the past: the history says its date, not the day it was recorded
    let (status, answer) = common::send(
        &srv,
        reqwest::Method::POST,
        "/api/projects/PAGE-1/status",
        Some(&admin),
        Some(serde_json::json!({"status": "suspended", "date": "2025-10-15", "note": "Litige foncier"})),
    )
    .await;
    assert!(status < 300, "{status} {answer}");
    let (status, _, fr) = html(&srv, "/projects/PAGE-1?lang=fr", None).await;
    assert_eq!(status, 200, "{fr}");
    for want in [
        "<h1>Réhabilitation du marché</h1>",
        "Historique du statut",
        "<time class=\"ltr\">2025-10-15</time> — Travaux en cours → <b>Suspendu</b>",
        "Budget : <b>\u{2066}250\u{202f}000\u{2069} DT</b>",
        "class=\"chart\"",
        "class=\"phys\" d=\"M",
        "class=\"map\"",
        "<circle class=\"project\"",
        "href=\"/units/municipality/1111?lang=fr\"",
        "Bab Bhar",
        "dir=\"ltr\"",
        " · Eau",
        "<td>Don d'un bailleur</td>",
    ] {
        assert!(fr.contains(want), "French page has {want}");
    }
    let ar = anon(&srv, "/projects/PAGE-1?lang=ar").await;
    assert!(
        ar.contains("<html lang=\"ar\" dir=\"rtl\">"),
        "Arabic is right to left"
    );
    assert!(ar.contains("تاريخ الحالة") && ar.contains("التقدم عبر الزمن"));
    assert!(
        ar.contains(" · الماء") && ar.contains("<td>هبة من ممول</td>"),
        "codes named in Arabic"
    );
    assert!(
        !fr.contains("donor_grant") && !ar.contains(">water<"),
        "no raw codes"
    );
    // Accept-Language picks the language when lang= is absent
    let r = srv
        .client
        .get(srv.url("/projects/PAGE-1"))
        .header("accept-language", "ar-TN,ar;q=0.9,fr;q=0.5")
        .send()
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("lang=\"ar\""));
}

#[tokio::test]
async fn the_unit_page_links_its_sheet_and_map_and_a_wrong_unit_is_a_404() {
    let (_db, srv) = common::sample_server().await;
    let (status, _, ar) = html(&srv, "/units/municipality/1111?lang=ar", None).await;
    assert_eq!(status, 200, "{ar}");
    assert!(ar.contains("<h1>تونس العاصمة</h1>"), "named in Arabic");
    let sheet = "/api/units/municipality/1111/diagnosis?f=html&amp;lang=ar";
    assert!(ar.contains(sheet), "links its sheet");
    assert!(
        ar.contains("/map?municipality=1111&amp;lang=ar"),
        "links the map"
    );
    assert!(ar.contains("class=\"unit\""), "draws its outline");
    let (status, ct, _) = html(&srv, &sheet.replace("&amp;", "&"), None).await;
    assert_eq!(
        (status, ct.starts_with("text/html")),
        (200, true),
        "the sheet link answers"
    );
    let fr = anon(&srv, "/units/governorate/11?lang=fr").await;
    assert!(fr.contains("<h1>Tunis</h1>"), "{fr}");
    for path in ["/units/municipality/0000", "/units/planet/1"] {
        let (status, ct, body) = html(&srv, path, None).await;
        assert_eq!(status, 404, "{path}");
        assert!(ct.starts_with("text/html"));
        assert!(
            body.contains("Aucune unité") && body.contains("لا توجد وحدة"),
            "{body}"
        );
    }
}

/// The third page of five municipalities, as GeoJSON.
const ELEVENTH: &str = "/collections/municipalities/items?f=json&limit=5&offset=10";

#[tokio::test]
async fn items_pages_name_their_features_and_count_them_in_both_languages() {
    let (_db, srv) = common::sample_server().await;
    let (_, page) = srv.get_json(ELEVENTH).await;
    let matched = page["numberMatched"].as_i64().unwrap();
    let mut pages = Vec::new();
    for (lang, said) in [
        ("fr", format!("Objets 11 à 15 sur {matched}.")),
        ("ar", format!("العناصر من 11 إلى 15 من أصل {matched}.")),
    ] {
        let path =
            format!("/collections/municipalities/items?f=html&limit=5&offset=10&lang={lang}");
        let (_, _, body) = html(&srv, &path, None).await;
        assert!(body.contains(&said), "{lang}: {body}");
        pages.push(body);
    }
    let fr = &pages[0];
    for f in page["features"].as_array().unwrap() {
        let name = f["properties"]["name_fr"].as_str().unwrap();
        assert!(
            fr.contains(&format!(">{name}</a></th>")),
            "{name} heads its row"
        );
    }
    assert!(
        fr.contains("<svg class=\"map\""),
        "the page's features on a map"
    );
    let one = anon(
        &srv,
        "/collections/municipalities/items/1111?f=html&lang=fr",
    )
    .await;
    assert!(one.contains("<h1>Tunis</h1>"), "{one}");
    assert!(!one.contains("Municipalities 1111"));
    assert!(
        one.contains("/units/municipality/1111?lang=fr"),
        "links the unit page"
    );
    assert!(
        one.contains("/api/units/municipality/1111/diagnosis?f=html"),
        "links the sheet"
    );
    // a column empty on the whole page is left out; a filled one is kept
    let (_, projects) = srv
        .get_json("/collections/projects/items?f=json&limit=10")
        .await;
    let feats = projects["features"].as_array().unwrap();
    let empty = |k: &str| feats.iter().all(|f| f["properties"][k].is_null());
    let page = anon(&srv, "/collections/projects/items?f=html&limit=10").await;
    for k in [
        "code",
        "title_fr",
        "title_ar",
        "title_en",
        "description_fr",
        "owner",
    ] {
        assert_eq!(
            page.contains(&format!("<th>{k}</th>")),
            !empty(k),
            "column {k}"
        );
    }
    let none = anon(&srv, "/collections/projects/items?f=html&code=NOPE&lang=fr").await;
    assert!(none.contains("Aucun objet ne correspond."), "{none}");
}

/// `(href, type)` of every `<a>` carrying a type in an HTML page.
fn typed_links(page: &str) -> Vec<(String, String)> {
    let attr = |tag: &str, name: &str| {
        let key = format!(" {name}=\"");
        tag.find(&key).map(|i| {
            let rest = &tag[i + key.len()..];
            rest[..rest.find('"').unwrap()].replace("&amp;", "&")
        })
    };
    page.split("<a ")
        .skip(1)
        .filter_map(|t| {
            let tag = format!(" {}", &t[..t.find('>').unwrap()]);
            Some((attr(&tag, "href")?, attr(&tag, "type")?))
        })
        .collect()
}

#[tokio::test]
async fn landing_links_answer_the_type_they_announce() {
    let (_db, srv) = common::sample_server().await;
    let (_, landing) = srv.get_json("/").await;
    let text = |v: &Value| v.as_str().unwrap().to_string();
    let mut links: Vec<(String, String)> = landing["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (text(&l["href"]), text(&l["type"])))
        .collect();
    let page = anon(&srv, "/?f=html&lang=fr").await;
    let from_page = typed_links(&page);
    assert!(from_page.len() > 15, "{from_page:?}");
    let main = &page[page.find("<main>").unwrap()..];
    assert!(
        main.find("Ouvrir la carte").unwrap() < main.find("/collections").unwrap(),
        "open the map comes first"
    );
    assert!(
        main.find("/tiles/governorates,delegations,municipalities,landuse,projects,facilities/")
            .unwrap()
            < main.find("/tiles/municipalities/").unwrap(),
        "the combined QGIS connection is shown first"
    );
    // every service link is titled in the page's language (none left in English)
    let ar = anon(&srv, "/?f=html&lang=ar").await;
    for (page, want) in [
        (&page, "La définition de l'API (OpenAPI 3.0)"),
        (&ar, "تعريف واجهة البرمجة (OpenAPI 3.0)"),
    ] {
        let services = &page[page.find("class=\"services\"").unwrap()..];
        assert!(services.contains(want), "{want}");
        assert!(
            !services.contains("lang=\"en\""),
            "a service without a title in the page's language: {services}"
        );
    }
    links.extend(from_page);
    for (href, ty) in links {
        let url = if href.starts_with("http") {
            href.clone()
        } else {
            srv.url(&href)
        };
        let r = srv
            .client
            .get(&url)
            .header("accept", BROWSER)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{href}");
        let ct = r.headers()["content-type"].to_str().unwrap().to_string();
        let base = |t: &str| t.split(';').next().unwrap().trim().to_string();
        assert_eq!(
            base(&ct),
            base(&ty),
            "{href} is typed {ty} and answers {ct}"
        );
        if base(&ty).ends_with("json") {
            let body = r.text().await.unwrap();
            serde_json::from_str::<Value>(&body).unwrap_or_else(|e| panic!("{href}: {e}"));
        }
    }
    let r = srv.get("/favicon.svg").await;
    assert_eq!(r.headers()["content-type"], "image/svg+xml");
    let icon = r.text().await.unwrap();
    assert!(
        icon.starts_with("<svg") && icon.len() < 2048,
        "a small SVG icon"
    );
    assert!(page.contains("rel=\"icon\" type=\"image/svg+xml\" href=\"/favicon.svg\""));
    let ar = anon(&srv, "/?f=html&lang=ar").await;
    assert!(ar.contains("dir=\"rtl\"") && ar.contains("افتح الخريطة"));
}
