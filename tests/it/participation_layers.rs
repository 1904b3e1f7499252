//! Issue 11, item 8 on real PostGIS through HTTP: the OGC API collections `plans`,
//! `participation-zones`, `proposals`, `meetings` (public rows only; the author never in any
//! format), the `proposals` tile source and its invalidation, and participation zones edited
//! through OGC API – Features Part 4 by the commune's planners.
use crate::common;

use mokhattat::config::ConnLimits;
use mvt_reader::{feature::Value as MvtValue, Reader};
use reqwest::Method;
use serde_json::{json, Value};

use common::{key, send, tile_of, TestDb, TestServer};

pub(crate) const TUNIS: [f64; 2] = [10.1700, 36.7990];
pub(crate) const SECRET_NAME: &str = "Nadia Khafiya";
pub(crate) const SECRET_CONTACT: &str = "nadia.private@example.tn";

pub(crate) async fn server(db: &TestDb) -> TestServer {
    common::serve_with(
        db.pool.clone(),
        |s| s.rate_limit.per_minute = 0,
        &ConnLimits::default(),
    )
    .await
}

pub(crate) async fn submit(srv: &TestServer, title: &str, lon: f64) -> i64 {
    submit_at(srv, title, [lon, TUNIS[1]]).await
}

/// A lighting proposal at `at` (lon, lat) through the public API; its id.
pub(crate) async fn submit_at(srv: &TestServer, title: &str, at: [f64; 2]) -> i64 {
    let body = json!({ "geometry": {"type": "Point", "coordinates": at}, "theme": "lighting", "lang": "fr", "title": title, "body": "La rue est sombre la nuit", "author_name": SECRET_NAME, "author_contact": SECRET_CONTACT });
    let url = "/api/participation/proposals";
    let (s, b) = send(srv, Method::POST, url, None, Some(body)).await;
    assert_eq!(s, 201, "{b}");
    b["id"].as_i64().unwrap()
}

/// The sample database and a server on it.
pub(crate) async fn sample_server() -> (TestDb, TestServer) {
    let db = common::sample_db().await;
    let srv = server(&db).await;
    (db, srv)
}

/// The text of `GET path`.
pub(crate) async fn text_at(srv: &TestServer, path: &str) -> String {
    srv.get(path).await.text().await.unwrap()
}

/// The sample database, a server on it, and the keys of a planner of Tunis (1111) and of a
/// planner of another commune (2111).
pub(crate) async fn with_planners() -> (TestDb, TestServer, String, String) {
    let (db, srv) = sample_server().await;
    let tunis = key(&db, "planner", &["1111"], None).await;
    let other = key(&db, "planner", &["2111"], None).await;
    (db, srv, tunis, other)
}

/// Submits `n` proposals titled "`title` 0", "`title` 1"…, each `step` degrees east of the last
/// (the first at TUNIS): their ids.
pub(crate) async fn submit_row(srv: &TestServer, title: &str, n: u32, step: f64) -> Vec<i64> {
    let mut ids = Vec::new();
    for i in 0..n {
        let lon = TUNIS[0] + f64::from(i) * step;
        ids.push(submit(srv, &format!("{title} {i}"), lon).await);
    }
    ids
}

/// `POST path` with `body` is refused to an anonymous caller (401) and to `other`, a planner of
/// another commune (403).
pub(crate) async fn refused_to_strangers(srv: &TestServer, path: &str, other: &str, body: &Value) {
    let (s, _) = send(srv, Method::POST, path, None, Some(body.clone())).await;
    assert_eq!(s, 401, "anonymous: POST {path}");
    let (s, _) = send(srv, Method::POST, path, Some(other), Some(body.clone())).await;
    assert_eq!(s, 403, "a planner of another commune: POST {path}");
}

/// A tile feature: (id, properties).
pub(crate) type TileFeature = (u64, std::collections::HashMap<String, MvtValue>);

/// The `proposals` features of the tile holding TUNIS at zoom 14.
async fn tile_features(srv: &TestServer) -> Vec<TileFeature> {
    features_at(srv, 14, "").await
}

/// The `proposals` features of the tile holding TUNIS at zoom `z`, `query` after `?`.
pub(crate) async fn features_at(srv: &TestServer, z: u8, query: &str) -> Vec<TileFeature> {
    let (x, y) = tile_of(TUNIS[0], TUNIS[1], z);
    let r = srv
        .get(&format!("/tiles/proposals/{z}/{x}/{y}.pbf?{query}"))
        .await;
    assert!(matches!(r.status().as_u16(), 200 | 204), "{}", r.status());
    let bytes = r.bytes().await.unwrap();
    if bytes.is_empty() {
        return Vec::new();
    }
    let reader = Reader::new(bytes.to_vec()).expect("a vector tile");
    let names = reader.get_layer_names().unwrap();
    assert_eq!(names, vec!["proposals".to_string()]);
    reader
        .get_features(0)
        .unwrap()
        .into_iter()
        .map(|f| (f.id.unwrap_or(0), f.properties.unwrap_or_default()))
        .collect()
}

fn supports_of(feats: &[TileFeature], id: i64) -> Option<f64> {
    feats
        .iter()
        .find(|(f, _)| *f == id as u64)
        .map(|(_, p)| number(p.get("supports")).expect("supports is a number"))
}

/// A numeric tile property.
pub(crate) fn number(v: Option<&MvtValue>) -> Option<f64> {
    match v {
        Some(MvtValue::Int(n)) => Some(*n as f64),
        Some(MvtValue::SInt(n)) => Some(*n as f64),
        Some(MvtValue::UInt(n)) => Some(*n as f64),
        Some(MvtValue::Float(n)) => Some(f64::from(*n)),
        Some(MvtValue::Double(n)) => Some(*n),
        _ => None,
    }
}

#[tokio::test]
async fn collections_downloads_and_tiles_show_public_proposals_without_their_author() {
    let (db, srv) = sample_server().await;
    let admin = key(&db, "admin", &[], None).await;
    let shown = submit(&srv, "Éclairage rue du Pacha", TUNIS[0]).await;
    let hidden = submit(&srv, "Éclairage rue de la Kasbah", TUNIS[0] + 0.002).await;
    let body = json!({"action": "hide", "reason": "propos injurieux"});
    let url = format!("/api/participation/proposals/{hidden}/moderation");
    let (s, b) = send(&srv, Method::POST, &url, Some(&admin), Some(body)).await;
    assert_eq!(s, 200, "{b}");

    // the four collections, with their bilingual titles
    let (_, cols) = srv.get_json("/collections").await;
    for id in ["plans", "participation-zones", "proposals", "meetings"] {
        let c = common::items(&cols["collections"])
            .find(|c| c["id"] == id)
            .unwrap_or_else(|| panic!("no collection {id}"));
        assert!(c["title"].is_string(), "{c}");
    }
    // public rows only, counted independently of the view: not hidden, not awaiting moderation
    let public: i64 = db
        .scalar(
            "SELECT count(*) FROM proposal WHERE NOT hidden AND NOT awaiting_moderation",
            (),
        )
        .await;
    assert_eq!(public, 1);
    let (s, items) = srv.get_json("/collections/proposals/items?limit=100").await;
    assert_eq!(s, 200, "{items}");
    assert_eq!(items["numberMatched"], json!(public), "{items}");
    let f = &items["features"][0];
    assert_eq!(f["id"], json!(shown));
    assert_eq!(f["properties"]["state"], "published");
    assert_eq!(f["properties"]["municipality_code"], "1111");
    assert_eq!(f["properties"]["lon"], json!(TUNIS[0]));
    assert_eq!(f["properties"]["lat"], json!(TUNIS[1]));
    assert_eq!(
        srv.status(&format!("/collections/proposals/items/{hidden}"))
            .await,
        404
    );

    // every format: the author never, the hidden proposal never
    for path in [
        "/collections/proposals/items?f=json".to_string(),
        "/collections/proposals/items?f=csv".to_string(),
        "/collections/proposals/items?f=html".to_string(),
        "/collections/proposals/items?f=gpkg".to_string(),
        format!("/collections/proposals/items/{shown}?f=html"),
        "/collections/proposals/queryables".to_string(),
    ] {
        let r = srv.get(&path).await;
        assert_eq!(r.status(), 200, "{path}");
        let bytes = r.bytes().await.unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for secret in [SECRET_NAME, SECRET_CONTACT, "Kasbah"] {
            assert!(!text.contains(secret), "{path} shows {secret}");
        }
        if !path.contains("queryables") {
            assert!(text.contains("Pacha"), "{path}");
        }
    }
    let csv = text_at(&srv, "/collections/proposals/items?f=csv").await;
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    assert!(header.contains(&"lon") && header.contains(&"lat"), "{csv}");

    // tiles: the public proposal with its state and supports; nothing of the author
    let feats = tile_features(&srv).await;
    assert_eq!(feats.len(), 1, "only the public proposal");
    assert_eq!(supports_of(&feats, shown), Some(0.0));
    for (_, props) in &feats {
        assert!(matches!(props.get("state"), Some(MvtValue::String(s)) if s == "published"));
        for v in props.values() {
            if let MvtValue::String(s) = v {
                assert!(!s.contains(SECRET_NAME) && !s.contains(SECRET_CONTACT));
            }
        }
    }
    // a support changes the count in the tile at once (NOTIFY → the cached tile dropped)
    let url = format!("/api/participation/proposals/{shown}/supports");
    let (s, b) = send(&srv, Method::POST, &url, None, None).await;
    assert_eq!(s, 201, "{b}");
    let mut seen = None;
    for _ in 0..50 {
        seen = supports_of(&tile_features(&srv).await, shown);
        if seen == Some(1.0) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        seen,
        Some(1.0),
        "the tile still shows the old supports count"
    );
    // unhiding puts the second proposal in the tile
    let body = json!({"action": "unhide", "reason": "erreur"});
    let url = format!("/api/participation/proposals/{hidden}/moderation");
    let (s, _) = send(&srv, Method::POST, &url, Some(&admin), Some(body)).await;
    assert_eq!(s, 200);
    let mut n = 0;
    for _ in 0..50 {
        n = tile_features(&srv).await.len();
        if n == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(n, 2);
}

pub(crate) fn zone(code: &str, municipality: &str) -> Value {
    json!({"type": "Feature",
           "geometry": {"type": "Polygon", "coordinates": [[[10.16, 36.79], [10.18, 36.79], [10.18, 36.81], [10.16, 36.81], [10.16, 36.79]]]},
           "properties": {"municipality_code": municipality, "code": code, "name_fr": "Médina", "name_ar": "المدينة", "population": 1200}})
}

async fn allow(srv: &TestServer, path: &str, k: Option<&str>) -> String {
    let mut r = srv.client.request(Method::OPTIONS, srv.url(path));
    if let Some(k) = k {
        r = r.bearer_auth(k);
    }
    let r = r.send().await.unwrap();
    assert_eq!(r.status(), 200, "{path}");
    r.headers()["allow"].to_str().unwrap().to_string()
}

pub(crate) async fn post_geojson(
    srv: &TestServer,
    path: &str,
    k: &str,
    body: &Value,
) -> reqwest::Response {
    srv.client
        .post(srv.url(path))
        .bearer_auth(k)
        .header("content-type", "application/geo+json")
        .body(body.to_string())
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn planners_edit_participation_zones_through_part4() {
    let (db, srv, planner, other) = with_planners().await;
    let items = "/collections/participation-zones/items";
    assert!(!allow(&srv, items, None).await.contains("POST"));
    assert!(allow(&srv, items, Some(&planner)).await.contains("POST"));
    // moderation is not an OGC API edit: proposals are read-only there
    assert!(!allow(&srv, "/collections/proposals/items", Some(&planner))
        .await
        .contains("POST"));

    // anonymous and out-of-scope writes are refused and change nothing
    let r = srv
        .client
        .post(srv.url(items))
        .header("content-type", "application/geo+json")
        .body(zone("Z9", "1111").to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = post_geojson(&srv, items, &planner, &zone("Z9", "2111")).await;
    assert_eq!(r.status(), 403, "{}", r.text().await.unwrap());
    let r = post_geojson(&srv, items, &planner, &json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": [10.17, 36.8]}, "properties": {"municipality_code": "1111", "code": "Z8"}})).await;
    assert_eq!(r.status(), 422, "a point is not a zone");
    let n: i64 = db
        .scalar("SELECT count(*) FROM participation_zone", ())
        .await;
    assert_eq!(n, 0);

    // create → 201 + Location, then read it back as QGIS does
    let r = post_geojson(&srv, items, &planner, &zone("Z1", "1111")).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let fid = location.rsplit('/').next().unwrap().to_string();
    let (s, f) = srv.get_json(&format!("{items}/{fid}")).await;
    assert_eq!(s, 200);
    assert_eq!(f["properties"]["code"], "Z1");
    assert_eq!(f["properties"]["population"], 1200);
    // a duplicate code in the commune is a conflict
    let r = post_geojson(&srv, items, &planner, &zone("Z1", "1111")).await;
    assert_eq!(r.status(), 409);
    // proposals submitted inside are tagged with it
    let id = submit(&srv, "Lampadaires", TUNIS[0]).await;
    let (_, p) = srv
        .get_json(&format!("/collections/proposals/items/{id}"))
        .await;
    assert_eq!(p["properties"]["zone_code"], "Z1");

    // PATCH by the commune's planner; another commune's planner may not
    let item = format!("{items}/{fid}");
    assert!(allow(&srv, &item, Some(&planner)).await.contains("PATCH"));
    assert!(!allow(&srv, &item, Some(&other)).await.contains("PATCH"));
    let patch = |k: &str, body: Value| {
        srv.client
            .patch(srv.url(&item))
            .bearer_auth(k.to_string())
            .header("content-type", "application/merge-patch+json")
            .body(body.to_string())
            .send()
    };
    let r = patch(&other, json!({"properties": {"name_fr": "Ailleurs"}}))
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = patch(
        &planner,
        json!({"properties": {"municipality_code": "2111"}}),
    )
    .await
    .unwrap();
    assert_eq!(
        r.status(),
        403,
        "a zone cannot be moved out of the planner's scope"
    );
    let r = patch(
        &planner,
        json!({"properties": {"name_fr": "Médina centre"}}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 204);
    let name: String = db
        .scalar(
            "SELECT name_fr FROM participation_zone WHERE id = $1::bigint",
            (fid.parse::<i64>().unwrap(),),
        )
        .await;
    assert_eq!(name, "Médina centre");
    // DELETE
    let r = srv
        .client
        .delete(srv.url(&item))
        .bearer_auth(&planner)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(srv.status(&item).await, 404);
}

#[tokio::test]
async fn plans_and_meetings_are_collections() {
    let (db, srv) = sample_server().await;
    let planner = key(&db, "planner", &["1111"], None).await;
    let body = json!({"municipality": "1111", "kind": "PAI", "title": "PAI 2027", "period_start": 2027, "period_end": 2027, "envelope_tnd": 5000000});
    let url = "/api/participation/plans";
    let (s, b) = send(&srv, Method::POST, url, Some(&planner), Some(body)).await;
    assert_eq!(s, 201, "{b}");
    let body = json!({"municipality": "1111", "held_at": "2026-03-14T09:00:00Z", "place_name": "Maison de la culture", "geometry": {"type": "Point", "coordinates": TUNIS}, "attendance": [{"sex": "female", "age_band": "18_35", "count": 12}, {"sex": "male", "age_band": "36_60", "count": 8}], "delegates": [{"name": "Sami Sirri", "consent_public": false}]});
    let url = "/api/participation/meetings";
    let (s, b) = send(&srv, Method::POST, url, Some(&planner), Some(body)).await;
    assert_eq!(s, 201, "{b}");
    let (_, plans) = srv.get_json("/collections/plans/items").await;
    assert_eq!(plans["numberMatched"], 1, "{plans}");
    assert_eq!(plans["features"][0]["properties"]["kind"], "PAI");
    assert_eq!(
        plans["features"][0]["properties"]["envelope_tnd"],
        5000000.0
    );
    assert_eq!(plans["features"][0]["geometry"]["type"], "MultiPolygon");
    // a box and the advertised extent read the plan's own geometry (its commune), not the
    // locations of some project
    let (x, y) = (TUNIS[0], TUNIS[1]);
    let near = format!(
        "/collections/plans/items?bbox={},{},{},{}",
        x - 0.01,
        y - 0.01,
        x + 0.01,
        y + 0.01
    );
    assert_eq!(srv.get_json(&near).await.1["numberMatched"], 1);
    let sfax = "/collections/plans/items?bbox=10.70,34.70,10.80,34.80";
    assert_eq!(srv.get_json(sfax).await.1["numberMatched"], 0);
    let (_, coll) = srv.get_json("/collections/plans").await;
    let e = &coll["extent"]["spatial"]["bbox"][0];
    let e: Vec<f64> = (0..4).map(|i| e[i].as_f64().unwrap()).collect();
    assert!(e[0] < x && x < e[2] && e[1] < y && y < e[3], "{e:?}");
    assert!(
        e[2] - e[0] < 0.5 && e[3] - e[1] < 0.5,
        "the extent of one commune: {e:?}"
    );
    let (_, m) = srv
        .get_json("/collections/meetings/items?datetime=2026-03-01T00:00:00Z/2026-03-31T00:00:00Z")
        .await;
    assert_eq!(m["numberMatched"], 1, "{m}");
    assert_eq!(m["features"][0]["properties"]["attendance"], 20);
    assert_eq!(m["features"][0]["properties"]["attendance_women"], 12);
    let (_, none) = srv
        .get_json("/collections/meetings/items?datetime=2025-01-01T00:00:00Z/2025-12-31T00:00:00Z")
        .await;
    assert_eq!(none["numberMatched"], 0);
    let text = text_at(&srv, "/collections/meetings/items?f=csv").await;
    assert!(
        !text.contains("Sami Sirri"),
        "a delegate without consent is never public"
    );
}
