//! Issue 11 (participatory planning) on real PostGIS through HTTP: automatic tags, the state
//! machine, withdrawal, reports and moderation, privacy of the author in every public output,
//! rate limit and honeypot, hostile input, supports and comments, plans, meetings, and
//! "you said / we did". See docs/participation.md.
use crate::common;
use crate::participation_layers::{sample_server, server, text_at, with_planners};

use reqwest::Method;
use serde_json::{json, Value};

use common::{key, send, TestDb, TestServer};

/// A point in the medina of Tunis (commune 1111).
const TUNIS: [f64; 2] = [10.1700, 36.7990];
const SECRET_NAME: &str = "Leila Sirriya";
const SECRET_CONTACT: &str = "leila.secret@example.tn";

async fn call(
    srv: &TestServer,
    m: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> (u16, Value) {
    let mut r = srv.client.request(m, srv.url(path));
    for (k, v) in headers {
        r = if *k == "key" {
            r.bearer_auth(v)
        } else {
            r.header(*k, *v)
        };
    }
    if let Some(b) = body {
        r = r
            .header("content-type", "application/json")
            .body(b.to_string());
    }
    let resp = r.send().await.unwrap();
    let s = resp.status().as_u16();
    (s, resp.json().await.unwrap_or(Value::Null))
}

/// The public JSON of proposal `id` (whatever the status).
async fn public_json(srv: &TestServer, id: i64) -> Value {
    let path = format!("/api/participation/proposals/{id}");
    srv.get_json(&path).await.1
}

/// `call` as participant `n` (X-Participant).
async fn as_who(
    srv: &TestServer,
    m: Method,
    path: &str,
    n: u32,
    body: Option<Value>,
) -> (u16, Value) {
    call(srv, m, path, &[("x-participant", &who(n))], body).await
}

/// `call` as the author holding the edit token (X-Edit-Token).
async fn as_author(
    srv: &TestServer,
    m: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (u16, Value) {
    call(srv, m, path, &[("x-edit-token", token)], body).await
}

fn who(n: u32) -> String {
    format!("participant-token-{n:06}")
}

fn proposal(title: &str, lon: f64, lat: f64) -> Value {
    json!({
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "theme": "roads", "lang": "ar", "title": title,
        "body": "الطريق مليئة بالحفر ويجب إصلاحها قبل الشتاء",
        "author_name": SECRET_NAME, "author_contact": SECRET_CONTACT
    })
}

/// Submit a proposal: (id, edit token).
async fn submit(srv: &TestServer, title: &str) -> (i64, String) {
    let body = proposal(title, TUNIS[0], TUNIS[1]);
    let url = "/api/participation/proposals";
    let (s, b) = as_who(srv, Method::POST, url, 0, Some(body)).await;
    assert_eq!(s, 201, "{b}");
    (
        b["id"].as_i64().unwrap(),
        b["edit_token"].as_str().unwrap().to_string(),
    )
}

async fn count(db: &TestDb, table: &str) -> i64 {
    db.scalar(&format!("SELECT count(*) FROM {table}"), ())
        .await
}

/// The sample database with the two zones of `zones`, and a server on it.
async fn zoned_server() -> (TestDb, TestServer) {
    let db = common::sample_db().await;
    zones(&db).await;
    let srv = server(&db).await;
    (db, srv)
}

/// Two participation zones splitting a box around the medina point.
async fn zones(db: &TestDb) {
    db.exec("INSERT INTO participation_zone (municipality_code, code, name_fr, population, geom) VALUES
         ('1111', 'Z1', 'Médina', 1000, ST_Multi(ST_MakeEnvelope(10.160, 36.790, 10.180, 36.810, 4326))),
         ('1111', 'Z2', 'Bab Bhar', 3000, ST_Multi(ST_MakeEnvelope(10.180, 36.790, 10.200, 36.810, 4326)))", ()).await;
}

#[tokio::test]
async fn a_proposal_is_tagged_and_its_author_never_public() {
    let (db, srv) = zoned_server().await;
    let body = proposal("إصلاح الطريق", TUNIS[0], TUNIS[1]);
    let url = "/api/participation/proposals";
    let (s, b) = call(&srv, Method::POST, url, &[], Some(body)).await;
    assert_eq!(s, 201, "{b}");
    assert!(b["participant_token"]
        .as_str()
        .is_some_and(|t| t.len() >= 16));
    let id = b["id"].as_i64().unwrap();
    let tags = &b["tags"];
    // independent of mk_locate: plain containment in the current units and zones
    let delegation: String = sqlx::query_scalar(
        "SELECT code FROM admin_unit_current WHERE level = 'delegation'
         AND ST_Intersects(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326)) ORDER BY code LIMIT 1",
    )
    .bind(TUNIS[0])
    .bind(TUNIS[1])
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let class: Option<String> = sqlx::query_scalar(
        "SELECT z.class FROM landuse_zone z WHERE ST_Intersects(z.geom, ST_SetSRID(ST_MakePoint($1, $2), 4326)) LIMIT 1",
    )
    .bind(TUNIS[0])
    .bind(TUNIS[1])
    .fetch_optional(&db.pool)
    .await
    .unwrap();
    assert_eq!(tags["municipality_code"], "1111", "{tags}");
    assert_eq!(tags["delegation_code"], json!(delegation));
    assert_eq!(tags["zone_code"], "Z1");
    assert_eq!(tags["landuse_class"], json!(class));
    assert_eq!(class.as_deref(), Some("urban_perimeter_2014"));
    // roads in the 2014 urban perimeter: allowed by the default rule matrix
    assert_eq!(tags["conformity_hint"], "allowed");
    // a second one nearby is suggested as a possible duplicate
    let body = proposal("طريق", TUNIS[0] + 0.001, TUNIS[1]);
    let url = "/api/participation/proposals";
    let (s, b2) = call(&srv, Method::POST, url, &[], Some(body)).await;
    assert_eq!(s, 201);
    assert_eq!(b2["possible_duplicates"][0]["id"], json!(id), "{b2}");

    // the author is stored, privately
    let (name, contact): (String, String) = db
        .row(
            "SELECT name, contact FROM proposal_author WHERE proposal_id = $1",
            (id,),
        )
        .await;
    assert_eq!(
        (name.as_str(), contact.as_str()),
        (SECRET_NAME, SECRET_CONTACT)
    );
    // accepted and linked, so that "you said / we did" shows it too
    let admin = key(&db, "admin", &[], None).await;
    let body = json!({"state": "accepted", "answer": "Nous allons réparer la rue."});
    let url = format!("/api/participation/proposals/{id}/answer");
    let (s, _) = send(&srv, Method::POST, &url, Some(&admin), Some(body)).await;
    assert_eq!(s, 200);
    let code: String = db
        .scalar(
            "SELECT code FROM project WHERE is_public ORDER BY code LIMIT 1",
            (),
        )
        .await;
    let body = json!({"project": code});
    let url = format!("/api/participation/proposals/{id}/project");
    let (s, b) = send(&srv, Method::POST, &url, Some(&admin), Some(body)).await;
    assert_eq!(s, 200, "{b}");

    let paths = [
        format!("/api/participation/proposals/{id}"),
        "/api/participation/proposals?municipality=1111".to_string(),
        format!("/api/participation/proposals/{id}/similar"),
        format!("/api/participation/proposals/{id}/comments"),
        "/api/participation/export/proposals.csv".to_string(),
        "/api/participation/export/proposals.geojson?municipality=1111".to_string(),
        "/api/participation/communes/1111/you-said-we-did".to_string(),
        format!("/api/participation/projects/{code}/proposals"),
    ];
    for p in &paths {
        let r = srv.get(p).await;
        assert_eq!(r.status(), 200, "{p}");
        let text = r.text().await.unwrap();
        assert!(
            text.contains("إصلاح الطريق") || p.contains("comments") || p.contains("similar"),
            "{p}: {text}"
        );
        assert!(
            !text.contains(SECRET_CONTACT) && !text.contains(SECRET_NAME),
            "{p} leaks the author: {text}"
        );
    }
    // the exports carry coordinates
    let csv = text_at(&srv, "/api/participation/export/proposals.csv").await;
    assert!(csv.lines().next().unwrap().ends_with(",lon,lat"), "{csv}");
    assert!(csv.contains("10.17,36.799"), "{csv}");
    let (_, gj) = srv
        .get_json("/api/participation/export/proposals.geojson")
        .await;
    let f = common::items(&gj["features"])
        .find(|f| f["id"] == json!(id))
        .unwrap();
    assert_eq!(f["geometry"]["coordinates"], json!([10.17, 36.799]));
    assert_eq!(f["properties"]["project_code"], json!(code));
    let (_, ysd) = srv
        .get_json("/api/participation/communes/1111/you-said-we-did")
        .await;
    let first = &ysd["proposals"][0];
    assert_eq!(first["id"], json!(id), "{ysd}");
    assert_eq!(first["state"], "accepted");
    assert_eq!(first["answer"], "Nous allons réparer la rue.");
    assert_eq!(first["project"]["code"], json!(code));
    assert!(first["project"]["status"].is_string());
}

#[tokio::test]
async fn the_state_machine_refuses_illegal_moves() {
    let (db, srv, planner, other) = with_planners().await;
    let (id, token) = submit(&srv, "Éclairage de la rue").await;
    let answer = format!("/api/participation/proposals/{id}/answer");
    // a planner of another commune may not answer
    let body = json!({"state": "accepted"});
    let (s, _) = send(&srv, Method::POST, &answer, Some(&other), Some(body)).await;
    assert_eq!(s, 403);
    // a draft answer: nothing public changes, the author may still edit
    let body = json!({"state": "accepted", "answer": "Programmé au PAI 2027", "publish": false});
    let (s, b) = send(&srv, Method::POST, &answer, Some(&planner), Some(body)).await;
    assert_eq!(s, 200, "{b}");
    let p = public_json(&srv, id).await;
    assert_eq!(p["state"], "published");
    assert_eq!(p["answer"], Value::Null);
    let body = json!({"title": "Éclairage public de la rue"});
    let url = format!("/api/participation/proposals/{id}");
    let (s, b) = as_author(&srv, Method::PATCH, &url, &token, Some(body)).await;
    assert_eq!(s, 200, "{b}");
    // publish the pending draft
    let (s, b) = send(&srv, Method::POST, &answer, Some(&planner), Some(json!({}))).await;
    assert_eq!(s, 200, "{b}");
    let p = public_json(&srv, id).await;
    assert_eq!(p["state"], "accepted");
    assert_eq!(p["answer"], "Programmé au PAI 2027");
    assert_eq!(p["title"], "Éclairage public de la rue");
    // answered: the author can neither edit nor withdraw; accepted → rejected is not a move
    let body = json!({"title": "x"});
    let url = format!("/api/participation/proposals/{id}");
    let (s, _) = as_author(&srv, Method::PATCH, &url, &token, Some(body)).await;
    assert_eq!(s, 409);
    let url = format!("/api/participation/proposals/{id}/withdraw");
    let (s, _) = as_author(&srv, Method::POST, &url, &token, None).await;
    assert_eq!(s, 409);
    let body = json!({"state": "rejected", "answer": "non"});
    let (s, b) = send(&srv, Method::POST, &answer, Some(&planner), Some(body)).await;
    assert_eq!(s, 409, "{b}");
    assert!(
        b["description"].as_str().unwrap().contains("accepted"),
        "{b}"
    );

    // a withdrawn proposal: wrong token 403, right token withdraws, then nothing more
    let (id2, token2) = submit(&srv, "Trottoirs").await;
    let withdraw = format!("/api/participation/proposals/{id2}/withdraw");
    let wrong = "wrong-token-0000000000";
    let (s, _) = as_author(&srv, Method::POST, &withdraw, wrong, None).await;
    assert_eq!(s, 403);
    let (s, _) = call(&srv, Method::POST, &withdraw, &[], None).await;
    assert_eq!(s, 403);
    let (s, b) = as_author(&srv, Method::POST, &withdraw, &token2, None).await;
    assert_eq!(s, 200, "{b}");
    let p = public_json(&srv, id2).await;
    assert_eq!(p["state"], "withdrawn");
    assert!(p["withdrawn_at"].is_string());
    let (s, _) = as_author(&srv, Method::POST, &withdraw, &token2, None).await;
    assert_eq!(s, 409);
    let body = json!({"state": "evaluating"});
    let url = format!("/api/participation/proposals/{id2}/answer");
    let (s, _) = send(&srv, Method::POST, &url, Some(&planner), Some(body)).await;
    assert_eq!(s, 409);
    let url = format!("/api/participation/proposals/{id2}/supports");
    let (s, _) = as_who(&srv, Method::POST, &url, 5, None).await;
    assert_eq!(s, 409);
    // merging into another proposal
    let (id3, _) = submit(&srv, "Éclairage encore").await;
    let body = json!({"state": "merged"});
    let url = format!("/api/participation/proposals/{id3}/answer");
    let (s, _) = send(&srv, Method::POST, &url, Some(&planner), Some(body)).await;
    assert_eq!(s, 409, "merging needs merged_into");
    let body = json!({"state": "merged", "merged_into": id, "answer": "Doublon"});
    let url = format!("/api/participation/proposals/{id3}/answer");
    let (s, _) = send(&srv, Method::POST, &url, Some(&planner), Some(body)).await;
    assert_eq!(s, 200);
    let p = public_json(&srv, id3).await;
    assert_eq!(
        (p["state"].clone(), p["merged_into"].clone()),
        (json!("merged"), json!(id))
    );
    let states: Vec<String> = sqlx::query_scalar("SELECT state FROM proposal ORDER BY id")
        .fetch_all(&db.pool)
        .await
        .unwrap();
    assert_eq!(states, ["accepted", "withdrawn", "merged"]);
}

#[tokio::test]
async fn three_reports_hide_and_moderators_are_logged() {
    let (_db, srv, planner, other) = with_planners().await;
    let (id, _) = submit(&srv, "Publicité").await;
    let reports = format!("/api/participation/proposals/{id}/reports");
    let public = format!("/api/participation/proposals/{id}");
    for n in 1..=2 {
        let body = json!({"reason": "spam"});
        let (s, b) = as_who(&srv, Method::POST, &reports, n, Some(body)).await;
        assert_eq!(s, 201, "{b}");
    }
    // once per participant
    let body = json!({"reason": "offensive"});
    let (s, _) = as_who(&srv, Method::POST, &reports, 1, Some(body)).await;
    assert_eq!(s, 409);
    let body = json!({"reason": "nonsense"});
    let (s, _) = as_who(&srv, Method::POST, &reports, 3, Some(body)).await;
    assert_eq!(s, 400);
    assert_eq!(srv.status(&public).await, 200);
    let body = json!({"reason": "off_topic"});
    let (s, _) = as_who(&srv, Method::POST, &reports, 3, Some(body)).await;
    assert_eq!(s, 201);
    // hidden: not found, not listed, not exported
    assert_eq!(srv.status(&public).await, 404);
    let (_, l) = srv
        .get_json("/api/participation/proposals?municipality=1111")
        .await;
    assert_eq!(l["proposals"], json!([]));
    let csv = text_at(&srv, "/api/participation/export/proposals.csv").await;
    assert_eq!(csv.lines().count(), 1);
    // moderation: other commune's planner and anonymous refused; the commune's planner unhides
    let moderation = format!("/api/participation/proposals/{id}/moderation");
    let body = json!({"action": "unhide", "reason": "ok"});
    let (s, _) = send(&srv, Method::POST, &moderation, Some(&other), Some(body)).await;
    assert_eq!(s, 403);
    let body = json!({"action": "unhide", "reason": "ok"});
    let (s, _) = call(&srv, Method::POST, &moderation, &[], Some(body)).await;
    assert_eq!(s, 401);
    let body = json!({"action": "unhide"});
    let (s, _) = send(&srv, Method::POST, &moderation, Some(&planner), Some(body)).await;
    assert_eq!(s, 400, "a reason is required");
    let body = json!({"action": "clear", "reason": "pas de publicité, signalements infondés"});
    let (s, _) = send(&srv, Method::POST, &moderation, Some(&planner), Some(body)).await;
    assert_eq!(s, 200);
    assert_eq!(srv.status(&public).await, 200);
    let body = json!({"action": "hide", "reason": "hors sujet"});
    let (s, _) = send(&srv, Method::POST, &moderation, Some(&planner), Some(body)).await;
    assert_eq!(s, 200);
    assert_eq!(srv.status(&public).await, 404);
    let url = "/api/participation/moderation/log?municipality=1111";
    let (s, log) = send(&srv, Method::GET, url, Some(&planner), None).await;
    assert_eq!(s, 200);
    let acts: Vec<(String, String)> = common::items(&log["log"])
        .rev()
        .map(|l| {
            (
                l["action"].as_str().unwrap().to_string(),
                l["actor"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        acts[0],
        ("auto_hide".to_string(), "system".to_string()),
        "{log}"
    );
    assert_eq!(acts[1].0, "clear");
    assert!(acts[1].1.starts_with("key:"));
    assert_eq!(acts[2].0, "hide");
    assert_eq!(log["log"][0]["reason"], "hors sujet");
    let url = "/api/participation/moderation/log?municipality=1111";
    let (s, _) = send(&srv, Method::GET, url, Some(&other), None).await;
    assert_eq!(s, 403);

    // per commune: threshold 1 and moderate-first
    let body = json!({"mode": "moderate_first", "report_threshold": 1});
    let url = "/api/participation/communes/1111/settings";
    let (s, b) = send(&srv, Method::PUT, url, Some(&planner), Some(body)).await;
    assert_eq!(s, 200, "{b}");
    let (id2, _) = submit(&srv, "En attente").await;
    let public2 = format!("/api/participation/proposals/{id2}");
    assert_eq!(srv.status(&public2).await, 404);
    let body = json!({"action": "approve", "reason": "conforme à la charte"});
    let url = format!("/api/participation/proposals/{id2}/moderation");
    let (s, _) = send(&srv, Method::POST, &url, Some(&planner), Some(body)).await;
    assert_eq!(s, 200);
    assert_eq!(srv.status(&public2).await, 200);
    let body = json!({"reason": "spam"});
    let url = format!("/api/participation/proposals/{id2}/reports");
    let (s, _) = as_who(&srv, Method::POST, &url, 9, Some(body)).await;
    assert_eq!(s, 201);
    assert_eq!(
        srv.get(&format!("/api/participation/proposals/{id2}"))
            .await
            .status(),
        404,
        "hidden at 1 report"
    );
}

#[tokio::test]
async fn rate_limit_and_honeypot() {
    let db = common::sample_db().await;
    let srv = common::serve_rate_limited(db.pool.clone(), 1, 2).await;
    let mut bot = proposal("Buy cheap", TUNIS[0], TUNIS[1]);
    bot["website"] = json!("http://spam.example");
    let url = "/api/participation/proposals";
    let (s, b) = call(&srv, Method::POST, url, &[], Some(bot)).await;
    assert_eq!(s, 202, "the honeypot accepts and drops: {b}");
    assert!(b.get("id").is_none());
    assert_eq!(count(&db, "proposal").await, 0);
    let body = proposal("Réel", TUNIS[0], TUNIS[1]);
    let url = "/api/participation/proposals";
    let (s, _) = call(&srv, Method::POST, url, &[], Some(body)).await;
    assert_eq!(s, 201);
    let r = srv
        .client
        .post(srv.url("/api/participation/proposals"))
        .header("content-type", "application/json")
        .body(proposal("Encore", TUNIS[0], TUNIS[1]).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry >= 1);
    assert_eq!(count(&db, "proposal").await, 1);
    // reads are not limited
    assert_eq!(srv.get("/api/participation/proposals").await.status(), 200);
}

#[tokio::test]
async fn hostile_input_is_refused_and_changes_nothing() {
    let (db, srv) = sample_server().await;
    let post = |b: Value| {
        call(
            &srv,
            Method::POST,
            "/api/participation/proposals",
            &[],
            Some(b),
        )
    };
    let bowtie = json!({"type": "Polygon", "coordinates": [[[10.17, 36.79], [10.18, 36.80], [10.18, 36.79], [10.17, 36.80], [10.17, 36.79]]]});
    let mut bad = proposal("x", TUNIS[0], TUNIS[1]);
    bad["geometry"] = bowtie;
    let (s, b) = post(bad).await;
    assert_eq!(s, 400, "{b}");
    assert!(
        b["description"].as_str().unwrap().contains("not valid"),
        "{b}"
    );
    let cases = [
        json!({"geometry": {"type": "LineString", "coordinates": [[10.1, 36.8], [10.2, 36.9]]}, "theme": "roads", "lang": "fr", "title": "t", "body": "b"}),
        json!({"geometry": {"type": "Point", "coordinates": [10.1]}, "theme": "roads", "lang": "fr", "title": "t", "body": "b"}),
        json!({"geometry": {"type": "Point", "coordinates": [1000, 36.8]}, "theme": "roads", "lang": "fr", "title": "t", "body": "b"}),
        json!({"geometry": {"type": "Point", "coordinates": [5.0, 40.0]}, "theme": "roads", "lang": "fr", "title": "t", "body": "b"}),
        json!({"geometry": {"type": "Point", "coordinates": TUNIS}, "theme": "casino", "lang": "fr", "title": "t", "body": "b"}),
        json!({"geometry": {"type": "Point", "coordinates": TUNIS}, "theme": "roads", "lang": "en", "title": "t", "body": "b"}),
        json!({"geometry": {"type": "Point", "coordinates": TUNIS}, "theme": "roads", "lang": "fr", "title": "x".repeat(501), "body": "b"}),
        json!({"geometry": {"type": "Point", "coordinates": TUNIS}, "theme": "roads", "lang": "fr", "title": "t", "body": "b".repeat(10_001)}),
        json!({"geometry": {"type": "Point", "coordinates": TUNIS}, "theme": "roads", "lang": "fr", "title": "", "body": "b"}),
        json!({"geometry": {"type": "Point", "coordinates": TUNIS}, "theme": "roads", "lang": "fr", "title": "t", "body": "b", "is_admin": true}),
    ];
    for c in cases {
        let (s, b) = post(c.clone()).await;
        assert_eq!(s, 400, "{c}: {b}");
        assert!(b["description"].is_string());
    }
    let raw = |body: String| {
        srv.client
            .post(srv.url("/api/participation/proposals"))
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    for body in [
        "{not json".to_string(),
        String::new(),
        format!("{}1{}", "[".repeat(5000), "]".repeat(5000)),
    ] {
        let r = raw(body).await.unwrap();
        assert_eq!(r.status(), 400);
    }
    let body = proposal("t", TUNIS[0], TUNIS[1]);
    let url = "/api/participation/proposals";
    let hdr: &[(&str, &str)] = &[("x-participant", "bad token!")];
    let (s, _) = call(&srv, Method::POST, url, hdr, Some(body)).await;
    assert_eq!(s, 400);
    assert_eq!(count(&db, "proposal").await, 0);
    assert_eq!(count(&db, "proposal_author").await, 0);
    // on an existing proposal: wrong token, oversize comment, unknown parent
    let (id, _) = submit(&srv, "Cible").await;
    let body = json!({"title": "pirate"});
    let url = format!("/api/participation/proposals/{id}");
    let wrong = "0123456789abcdef0123";
    let (s, _) = as_author(&srv, Method::PATCH, &url, wrong, Some(body)).await;
    assert_eq!(s, 403);
    let body = json!({"body": "c".repeat(2001)});
    let url = format!("/api/participation/proposals/{id}/comments");
    let (s, _) = call(&srv, Method::POST, &url, &[], Some(body)).await;
    assert_eq!(s, 400);
    let body = json!({"body": "ok", "parent_id": 999_999});
    let url = format!("/api/participation/proposals/{id}/comments");
    let (s, _) = call(&srv, Method::POST, &url, &[], Some(body)).await;
    assert_eq!(s, 404);
    let url = "/api/participation/proposals/999999/supports";
    let (s, _) = call(&srv, Method::POST, url, &[], None).await;
    assert_eq!(s, 404);
    let title: String = db
        .scalar("SELECT title FROM proposal WHERE id = $1", (id,))
        .await;
    assert_eq!(title, "Cible");
    assert_eq!(count(&db, "proposal_comment").await, 0);
}

#[tokio::test]
async fn meetings_supports_and_comments() {
    let (db, srv) = zoned_server().await;
    let planner = key(&db, "planner", &["1111"], None).await;
    let (id, _) = submit(&srv, "Jardin public").await;
    let meeting = json!({
        "municipality": "1111", "zone": "Z1", "held_at": "2026-03-14T09:00:00Z",
        "place_name": "Maison de la culture", "geometry": {"type": "Point", "coordinates": TUNIS},
        "agenda": "Priorités du PAI 2027", "minutes": "Trois priorités retenues.",
        "attendance": [{"sex": "female", "age_band": "18_35", "count": 12}, {"sex": "male", "age_band": "36_60", "count": 9},
                       {"sex": "female", "age_band": "over_60", "count": 4}],
        "priorities": [{"rank": 1, "label": "Jardin public", "proposal_id": id, "votes": 30}, {"rank": 2, "label": "Éclairage"}],
        "delegates": [{"name": "Amel Public", "sex": "female", "consent_public": true}, {"name": "Karim Discret", "sex": "male"}],
        "codes": 2
    });
    let url = "/api/participation/meetings";
    let (s, _) = call(&srv, Method::POST, url, &[], Some(meeting.clone())).await;
    assert_eq!(s, 401);
    let url = "/api/participation/meetings";
    let (s, b) = send(&srv, Method::POST, url, Some(&planner), Some(meeting)).await;
    assert_eq!(s, 201, "{b}");
    let mid = b["id"].as_i64().unwrap();
    let codes: Vec<String> = common::items(&b["participant_codes"])
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    assert_eq!(codes.len(), 2);
    let r = srv.get(&format!("/api/participation/meetings/{mid}")).await;
    let text = r.text().await.unwrap();
    assert!(
        !text.contains("Karim Discret") && !text.contains(&codes[0]),
        "{text}"
    );
    let m: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(m["attendance_total"], 25);
    assert_eq!(m["attendance_women"], 16);
    assert_eq!(m["zone_code"], "Z1");
    assert_eq!(m["priorities"][0]["proposal_id"], json!(id));
    assert_eq!(m["priorities"][0]["proposal_title"], "Jardin public");
    assert_eq!(m["delegates"][0]["name"], "Amel Public");
    assert_eq!(m["delegates"][1]["name"], Value::Null);
    assert_eq!(m["delegates"][1]["name_withheld"], true);
    let (_, l) = srv
        .get_json("/api/participation/meetings?municipality=1111")
        .await;
    assert_eq!(l["meetings"].as_array().unwrap().len(), 1);

    // supports: one per participant; a meeting code makes it verified; a code is one participant's
    let sup = format!("/api/participation/proposals/{id}/supports");
    let (s, b) = as_who(&srv, Method::POST, &sup, 1, None).await;
    assert_eq!((s, b["verified"].clone()), (201, json!(false)));
    let (s, _) = as_who(&srv, Method::POST, &sup, 1, None).await;
    assert_eq!(s, 409);
    let body = json!({"code": codes[0]});
    let (s, b) = as_who(&srv, Method::POST, &sup, 2, Some(body)).await;
    assert_eq!((s, b["verified"].clone()), (201, json!(true)), "{b}");
    let body = json!({"code": codes[0]});
    let (s, _) = as_who(&srv, Method::POST, &sup, 3, Some(body)).await;
    assert_eq!(s, 403, "a code already used by another participant");
    let body = json!({"code": "not-a-real-code-000000"});
    let (s, _) = as_who(&srv, Method::POST, &sup, 3, Some(body)).await;
    assert_eq!(s, 403);
    let p = public_json(&srv, id).await;
    assert_eq!(
        (p["supports"].clone(), p["verified_supports"].clone()),
        (json!(2), json!(1))
    );

    // threaded comments, text kept as text
    let c = format!("/api/participation/proposals/{id}/comments");
    let body = json!({"body": "<script>alert(1)</script> oui"});
    let (s, a) = as_who(&srv, Method::POST, &c, 1, Some(body)).await;
    assert_eq!(s, 201);
    let body = json!({"body": "أوافق", "parent_id": a["id"]});
    let (s, _) = as_who(&srv, Method::POST, &c, 2, Some(body)).await;
    assert_eq!(s, 201);
    let body = json!({"body": "Deuxième"});
    let (s, _) = as_who(&srv, Method::POST, &c, 3, Some(body)).await;
    assert_eq!(s, 201);
    let (_, t) = srv.get_json(&c).await;
    let thread: Vec<(i64, String)> = common::items(&t["comments"])
        .map(|c| {
            (
                c["depth"].as_i64().unwrap(),
                c["body"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        thread,
        [
            (0, "<script>alert(1)</script> oui".to_string()),
            (1, "أوافق".to_string()),
            (0, "Deuxième".to_string())
        ]
    );
}

#[tokio::test]
async fn a_plan_with_stages_lines_and_a_summary_that_adds_up() {
    let (db, srv) = zoned_server().await;
    let planner = key(&db, "planner", &["1111"], None).await;
    let projects: Vec<(i64, String)> = db.rows("SELECT p.id, p.code FROM project p WHERE p.is_public AND EXISTS (SELECT 1 FROM funding_line f WHERE f.project_id = p.id)
         ORDER BY p.code LIMIT 2", ()).await;
    assert_eq!(projects.len(), 2);
    let body = json!({"municipality": "1111", "kind": "PAI", "title": "PAI 2027", "period_start": 2027, "period_end": 2027});
    let url = "/api/participation/plans";
    let hdr: &[(&str, &str)] = &[("key", &key(&db, "planner", &["2111"], None).await)];
    let (s, _) = call(&srv, Method::POST, url, hdr, Some(body)).await;
    assert_eq!(s, 403);
    let body = json!({"municipality": "1111", "kind": "PAI", "title": "PAI 2027-2028", "period_start": 2027, "period_end": 2028, "envelope_tnd": 5_000_000});
    let url = "/api/participation/plans";
    let (s, p) = send(&srv, Method::POST, url, Some(&planner), Some(body)).await;
    assert_eq!(s, 201, "{p}");
    let id = p["id"].as_i64().unwrap();
    assert_eq!(p["stages"].as_array().unwrap().len(), 4);
    let plan = format!("/api/participation/plans/{id}");
    // status: draft → adopted is not a move; adopting needs its date
    let body = json!({"status": "adopted"});
    let (s, _) = send(&srv, Method::PATCH, &plan, Some(&planner), Some(body)).await;
    assert_eq!(s, 409);
    let body = json!({"status": "consultation"});
    let (s, _) = send(&srv, Method::PATCH, &plan, Some(&planner), Some(body)).await;
    assert_eq!(s, 200);
    let body = json!({"status": "adopted"});
    let (s, _) = send(&srv, Method::PATCH, &plan, Some(&planner), Some(body)).await;
    assert_eq!(s, 409);
    let body =
        json!({"status": "adopted", "adopted_on": "2026-12-20", "deliberation_ref": "DCM-2026-41"});
    let (s, b) = send(&srv, Method::PATCH, &plan, Some(&planner), Some(body)).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(
        (b["status"].clone(), b["deliberation_ref"].clone()),
        (json!("adopted"), json!("DCM-2026-41"))
    );
    let body = json!({"starts_on": "2026-01-10", "ends_on": "2026-03-31", "outputs": [{"kind": "diagnosis_sheet", "title": "Fiche diagnostic"}]});
    let url = format!("{plan}/stages/diagnosis");
    let (s, b) = send(&srv, Method::PUT, &url, Some(&planner), Some(body)).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["stages"][0]["outputs"][0]["kind"], "diagnosis_sheet");
    let body = json!({"starts_on": "2026-04-10", "ends_on": "2026-03-31"});
    let url = format!("{plan}/stages/planning");
    let (s, _) = send(&srv, Method::PUT, &url, Some(&planner), Some(body)).await;
    assert_eq!(s, 400, "ends before it starts");
    // lines: a multi-year project and a one-year one
    let lines = [
        (&projects[0].1, 2027, 1_200_000.0, "Z1"),
        (&projects[0].1, 2028, 800_000.0, "Z1"),
        (&projects[1].1, 2027, 500_000.5, "Z2"),
    ];
    for (code, year, amount, zone) in lines {
        let body = json!({"project": code, "year": year, "amount_tnd": amount, "zone": zone});
        let url = format!("{plan}/lines");
        let (s, b) = send(&srv, Method::POST, &url, Some(&planner), Some(body)).await;
        assert_eq!(s, 201, "{b}");
    }
    let body = json!({"project": projects[0].1, "year": 2027, "amount_tnd": 1});
    let url = format!("{plan}/lines");
    let (s, _) = send(&srv, Method::POST, &url, Some(&planner), Some(body)).await;
    assert_eq!(s, 409, "one line per project and year");
    let body = json!({"project": "NOPE", "year": 2027, "amount_tnd": 1});
    let url = format!("{plan}/lines");
    let (s, _) = send(&srv, Method::POST, &url, Some(&planner), Some(body)).await;
    assert_eq!(s, 400);
    let (_, p) = srv.get_json(&plan).await;
    assert_eq!(p["lines"].as_array().unwrap().len(), 3);
    let (s, sm) = srv.get_json(&format!("{plan}/summary")).await;
    assert_eq!(s, 200, "{sm}");
    let num = |v: &Value| {
        v.as_f64()
            .unwrap_or_else(|| v.as_str().map(|s| s.parse().unwrap()).unwrap_or(f64::NAN))
    };
    let total = |v: &Value| v.as_object().unwrap().values().map(num).sum::<f64>();
    assert!(
        (num(&sm["programmed_tnd"]) - 2_500_000.5).abs() < 1e-6,
        "{sm}"
    );
    assert!((num(&sm["envelope_tnd"]) - 5_000_000.0).abs() < 1e-6);
    assert!((num(&sm["unprogrammed_tnd"]) - 2_499_999.5).abs() < 1e-6);
    for by in ["by_year", "by_zone", "by_theme", "by_funding_source"] {
        assert!((total(&sm[by]) - 2_500_000.5).abs() < 0.01, "{by}: {sm}");
    }
    assert!((num(&sm["by_year"]["2027"]) - 1_700_000.5).abs() < 1e-6);
    assert!((num(&sm["by_zone"]["Z2"]) - 500_000.5).abs() < 1e-6);
    // committed and paid: the projects' monitoring, computed here independently
    let (committed, paid): (f64, f64) = db.row("SELECT coalesce(sum(committed_tnd), 0)::float8, coalesce(sum(paid_tnd), 0)::float8 FROM project_monitor WHERE project_id = ANY($1)", (vec![projects[0].0, projects[1].0],)).await;
    assert!((num(&sm["committed_tnd"]) - committed).abs() < 0.01, "{sm}");
    assert!((num(&sm["paid_tnd"]) - paid).abs() < 0.01);
    assert_eq!(sm["projects"].as_array().unwrap().len(), 2);
    assert_eq!(sm["projects"][0]["years"], json!([2027, 2028]));
    let (_, l) = srv
        .get_json("/api/participation/plans?municipality=1111")
        .await;
    assert_eq!(l["plans"][0]["status"], "adopted");
}

#[tokio::test]
async fn an_accepted_proposal_becomes_a_new_project() {
    let (db, srv) = sample_server().await;
    let planner = key(&db, "planner", &["1111"], None).await;
    let (id, _) = submit(&srv, "Terrain de sport").await;
    let link = format!("/api/participation/proposals/{id}/project");
    let new = json!({"new_project": {"code": "PART-2027-001", "title_fr": "Terrain de proximité", "theme": "sport", "budget_tnd": 250000}});
    let (s, _) = send(&srv, Method::POST, &link, Some(&planner), Some(new.clone())).await;
    assert_eq!(s, 409, "only accepted proposals are linked");
    assert_eq!(count(&db, "project WHERE code = 'PART-2027-001'").await, 0);
    let body = json!({"state": "accepted", "answer": "Retenu au PAI"});
    let url = format!("/api/participation/proposals/{id}/answer");
    let (s, _) = send(&srv, Method::POST, &url, Some(&planner), Some(body)).await;
    assert_eq!(s, 200);
    let (s, b) = send(&srv, Method::POST, &link, Some(&planner), Some(new)).await;
    assert_eq!(s, 200, "{b}");
    let (_, pp) = srv
        .get_json("/api/participation/projects/PART-2027-001/proposals")
        .await;
    assert_eq!(pp["proposals"][0]["id"], json!(id), "{pp}");
    let (_, ysd) = srv
        .get_json("/api/participation/communes/1111/you-said-we-did")
        .await;
    assert_eq!(ysd["proposals"][0]["project"]["code"], "PART-2027-001");
    assert_eq!(ysd["proposals"][0]["project"]["status"], "identified");
    // the new project sits where the proposal is, assigned to the commune by the database
    let mun: Option<String> = sqlx::query_scalar(
        "SELECT a.unit_code FROM location_assignment a JOIN project p ON p.id = a.project_id
         WHERE p.code = 'PART-2027-001' AND a.level = 'municipality' AND a.valid_to IS NULL",
    )
    .fetch_optional(&db.pool)
    .await
    .unwrap();
    assert_eq!(mun.as_deref(), Some("1111"));
}

/// Great-circle distance in metres (mean Earth radius): an independent check of ST_DWithin.
fn haversine(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, la2) = (a.1.to_radians(), b.1.to_radians());
    let dl = (b.0 - a.0).to_radians();
    let dp = la2 - la1;
    let h = (dp / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6_371_008.8 * h.sqrt().asin()
}

#[tokio::test]
async fn a_scenario_s_coverage_matches_an_independent_computation() {
    let db = common::sample_db().await;
    db.exec(
        "INSERT INTO participation_zone (municipality_code, code, population, geom) VALUES
         ('1111', 'A', 1000, ST_Multi(ST_MakeEnvelope(10.14, 36.78, 10.17, 36.80, 4326))),
         ('1111', 'B', 3000, ST_Multi(ST_MakeEnvelope(10.17, 36.78, 10.20, 36.80, 4326))),
         ('1111', 'C', 2000, ST_Multi(ST_MakeEnvelope(10.14, 36.80, 10.17, 36.82, 4326))),
         ('1111', 'D', 500,  ST_Multi(ST_MakeEnvelope(10.17, 36.80, 10.20, 36.82, 4326))),
         ('1111', 'E', NULL, ST_Multi(ST_MakeEnvelope(10.20, 36.80, 10.23, 36.82, 4326)))",
        (),
    )
    .await;
    let srv = server(&db).await;
    let units: Vec<(String, Option<i64>, f64, f64)> = db
        .rows(
            "SELECT code, population, ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom))
         FROM participation_zone WHERE municipality_code = '1111' ORDER BY code",
            (),
        )
        .await;
    // E has no population: the commune's latest population times E's share of the commune's area
    let e_pop: f64 = db.scalar("SELECT round((SELECT population FROM population WHERE level = 'municipality' AND code = '1111' ORDER BY year DESC, source LIMIT 1)
                * ST_Area(z.geom::geography) / ST_Area(m.geom::geography))::float8
         FROM participation_zone z, admin_unit_current m WHERE z.code = 'E' AND m.level = 'municipality' AND m.code = '1111'", ()).await;
    let pop: Vec<f64> = units
        .iter()
        .map(|u| u.1.map(|p| p as f64).unwrap_or(e_pop))
        .collect();
    let health: Vec<(f64, f64)> = db
        .rows(
            "SELECT ST_X(geom), ST_Y(geom) FROM facility WHERE kind = 'health'",
            (),
        )
        .await;
    let d = 900.0;
    // candidates: one at C's point, one at E's point, one far out in another commune (Sfax)
    let cands = [
        (units[2].2 + 0.002, units[2].3),
        (units[4].2, units[4].3 + 0.001),
        (10.76, 34.74),
    ];
    let costs = [900_000.0, 600_000.0, 400_000.0];
    let body = json!({
        "municipality": "1111", "envelope_tnd": 1_800_000, "distance_m": {"health": d},
        "candidates": cands.iter().zip(costs).enumerate().map(|(i, (c, cost))| json!({
            "ref": format!("H{i}"), "facility_type": "health", "capacity": 2, "cost_tnd": cost,
            "geometry": {"type": "Point", "coordinates": [c.0, c.1]}})).collect::<Vec<_>>()
    });
    let url = "/api/participation/scenarios";
    let (s, r) = call(&srv, Method::POST, url, &[], Some(body)).await;
    assert_eq!(s, 200, "{r}");

    // independent computation: haversine distances, no pair near the threshold
    let near = |a: (f64, f64), b: (f64, f64)| {
        let m = haversine(a, b);
        assert!(
            (m - d).abs() > d * 0.005,
            "a pair lies too close to the threshold to decide: {m}"
        );
        m <= d
    };
    let up: Vec<(f64, f64)> = units.iter().map(|u| (u.2, u.3)).collect();
    let before: Vec<bool> = up
        .iter()
        .map(|u| health.iter().any(|h| near(*u, *h)))
        .collect();
    let after: Vec<bool> = up
        .iter()
        .enumerate()
        .map(|(i, u)| before[i] || cands.iter().any(|c| near(*u, *c)))
        .collect();
    let newly: f64 = (0..up.len())
        .filter(|i| after[*i] && !before[*i])
        .map(|i| pop[i])
        .sum();
    let covered_before: f64 = (0..up.len()).filter(|i| before[*i]).map(|i| pop[i]).sum();
    let covered_after: f64 = (0..up.len()).filter(|i| after[*i]).map(|i| pop[i]).sum();
    assert!(
        newly > 0.0,
        "the scenario must cover someone new for the test to mean something"
    );
    let t = &r["by_type"][0];
    assert_eq!(t["facility_type"], "health");
    assert_eq!(t["newly_covered"].as_f64().unwrap(), newly, "{r}");
    assert_eq!(t["covered_before"].as_f64().unwrap(), covered_before);
    assert_eq!(t["covered_after"].as_f64().unwrap(), covered_after);
    assert_eq!(r["newly_covered_total"].as_f64().unwrap(), newly);
    let cost = costs.iter().sum::<f64>();
    assert!((t["cost_per_newly_covered_tnd"].as_f64().unwrap() - cost / newly).abs() < 0.001);
    assert_eq!(r["total_cost_tnd"].as_f64().unwrap(), cost);
    assert_eq!(r["within_envelope"], false);
    assert_eq!(r["remaining_tnd"].as_f64().unwrap(), 1_800_000.0 - cost);
    // 2SFCA after, independently: existing facilities capacity 1, candidates capacity 2
    let mut supplies: Vec<(f64, Vec<usize>)> = health
        .iter()
        .map(|h| (1.0, (0..up.len()).filter(|i| near(up[*i], *h)).collect()))
        .collect();
    supplies.extend(
        cands
            .iter()
            .map(|c| (2.0, (0..up.len()).filter(|i| near(up[*i], *c)).collect())),
    );
    for (i, u) in units.iter().enumerate() {
        let mut a = 0.0;
        for (cap, reach) in &supplies {
            if reach.contains(&i) {
                a += cap / reach.iter().map(|k| pop[*k]).sum::<f64>();
            }
        }
        let got = r["units"][i]["health"]["access_after_per_1000"]
            .as_f64()
            .unwrap();
        assert!(
            (got - a * 1000.0).abs() < 1e-5,
            "unit {}: {got} vs {}",
            u.0,
            a * 1000.0
        );
        assert_eq!(r["units"][i]["population"].as_f64().unwrap(), pop[i]);
        assert_eq!(r["units"][i]["health"]["covered_after"], json!(after[i]));
    }
    let g = t["gini_access_after"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&g));
    // the candidate in Sfax is flagged; the method and its parameters are echoed
    assert_eq!(r["candidates"][2]["flags"][0], "outside_commune", "{r}");
    assert_ne!(
        r["candidates"][0]["flags"].as_array().unwrap().first(),
        Some(&json!("outside_commune"))
    );
    assert_eq!(
        r["method"]["parameters"]["distance_m"]["health"]
            .as_f64()
            .unwrap(),
        d
    );
    assert!(r["method"]["two_step_fca"]
        .as_str()
        .unwrap()
        .contains("R_j"));

    // hostile scenarios
    for bad in [
        json!({"municipality": "1111", "candidates": []}),
        json!({"municipality": "1111", "candidates": [{"facility_type": "casino", "cost_tnd": 1, "geometry": {"type": "Point", "coordinates": [10.1, 36.8]}}]}),
        json!({"municipality": "1111", "candidates": [{"facility_type": "health", "geometry": {"type": "Point", "coordinates": [10.1, 36.8]}}]}),
        json!({"municipality": "1111", "candidates": [{"facility_type": "health", "cost_tnd": 1}]}),
        json!({"municipality": "1111", "distance_m": 10, "candidates": [{"facility_type": "health", "cost_tnd": 1, "proposal_id": 1}]}),
        json!({"municipality": "1111", "candidates": [{"facility_type": "health", "cost_tnd": 1, "proposal_id": 424242}]}),
    ] {
        let url = "/api/participation/scenarios";
        let (s, b) = call(&srv, Method::POST, url, &[], Some(bad.clone())).await;
        assert_eq!(s, 400, "{bad}: {b}");
    }
    let body = json!({"municipality": "0000", "candidates": [{"facility_type": "health", "cost_tnd": 1, "geometry": {"type": "Point", "coordinates": [10.1, 36.8]}}]});
    let url = "/api/participation/scenarios";
    let (s, _) = call(&srv, Method::POST, url, &[], Some(body)).await;
    assert_eq!(s, 404);
}

#[derive(clap::Parser)]
#[command(no_binary_name = true)]
struct ImportCli {
    #[command(flatten)]
    args: mokhattat::import::ImportArgs,
}

#[tokio::test]
async fn zones_are_imported_for_one_commune_and_tag_proposals() {
    use clap::Parser;
    let db = common::sample_db().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("zones.geojson");
    let fc = json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"zone": "M1", "nom": "Médina", "name_ar": "المدينة", "population": 1200},
         "geometry": {"type": "Polygon", "coordinates": [[[10.160, 36.790], [10.180, 36.790], [10.180, 36.810], [10.160, 36.810], [10.160, 36.790]]]}},
        {"type": "Feature", "properties": {"zone": "M2", "nom": "Bab Bhar", "population": null},
         "geometry": {"type": "Polygon", "coordinates": [[[10.180, 36.790], [10.200, 36.790], [10.200, 36.810], [10.180, 36.810], [10.180, 36.790]]]}},
        {"type": "Feature", "properties": {"nom": "sans code"},
         "geometry": {"type": "Polygon", "coordinates": [[[10.2, 36.79], [10.21, 36.79], [10.21, 36.8], [10.2, 36.79]]]}}
    ]});
    std::fs::write(&path, fc.to_string()).unwrap();
    let p = path.to_str().unwrap();
    let run = |list: Vec<&str>| {
        let args = ImportCli::try_parse_from(list).unwrap().args;
        let pool = db.pool.clone();
        async move { mokhattat::import::run(&pool, &args, mokhattat::import::Progress::Hidden).await }
    };
    assert!(
        run(vec![p, "--as", "zones"]).await.is_err(),
        "--municipality is required"
    );
    assert!(run(vec![p, "--as", "zones", "--municipality", "9999"])
        .await
        .is_err());
    assert_eq!(count(&db, "participation_zone").await, 0);
    let args = vec![
        p,
        "--as",
        "zones",
        "--municipality",
        "1111",
        "--field",
        "code=zone",
        "--field",
        "name_fr=nom",
    ];
    let s = run(args.clone()).await.unwrap();
    assert_eq!((s.inserted, s.rejected), (2, 1), "{s}");
    // the same file again changes nothing
    let s = run(args).await.unwrap();
    assert_eq!((s.inserted, s.updated), (0, 0));
    let zones: Vec<(String, Option<String>, Option<i64>)> =
        db.rows("SELECT code, name_fr, population FROM participation_zone WHERE municipality_code = '1111' ORDER BY code", ()).await;
    assert_eq!(
        zones,
        [
            ("M1".into(), Some("Médina".into()), Some(1200)),
            ("M2".into(), Some("Bab Bhar".into()), None)
        ]
    );
    let srv = server(&db).await;
    let body = proposal("حديقة", 10.19, 36.80);
    let url = "/api/participation/proposals";
    let (s, b) = call(&srv, Method::POST, url, &[], Some(body)).await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["tags"]["zone_code"], "M2");
    let (_, l) = srv.get_json("/api/participation/proposals?zone=M2").await;
    assert_eq!(l["proposals"].as_array().unwrap().len(), 1);
}
