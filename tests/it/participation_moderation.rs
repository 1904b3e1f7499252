//! Issue 11, moderation completed, on real PostGIS through HTTP: comments reported (once per
//! participant, hidden at the commune's threshold) and moderated (also moderate-first), the
//! moderators' queue of a commune (paged), the moderators' contact endpoint (the contact in no
//! public output), proposals re-tagged when their zone changes, and `proposals` tiles clustered
//! below zoom 11. See docs/participation.md.
use crate::common;
use crate::participation_layers::{
    features_at, number, post_geojson, refused_to_strangers, sample_server, submit, submit_row,
    with_planners, zone, SECRET_CONTACT, SECRET_NAME, TUNIS,
};

use mvt_reader::feature::Value as MvtValue;
use reqwest::Method;
use serde_json::{json, Value};

use common::{key, send, TestDb, TestServer};

/// `POST path` with `body` as participant `n` (X-Participant): (status, body).
async fn as_participant(srv: &TestServer, path: &str, n: u32, body: Value) -> (u16, Value) {
    let r = srv
        .client
        .post(srv.url(path))
        .header("x-participant", format!("moderation-participant-{n:04}"))
        .json(&body)
        .send()
        .await
        .unwrap();
    common::status_and_body(r).await
}

async fn log_actions(db: &TestDb, comment: i64) -> Vec<String> {
    sqlx::query_scalar("SELECT action FROM moderation_log WHERE comment_id = $1 ORDER BY id")
        .bind(comment)
        .fetch_all(&db.pool)
        .await
        .unwrap()
}

async fn comments_of(srv: &TestServer, id: i64) -> Vec<i64> {
    let (s, b) = srv
        .get_json(&format!("/api/participation/proposals/{id}/comments"))
        .await;
    assert_eq!(s, 200, "{b}");
    common::items(&b["comments"])
        .map(|c| c["id"].as_i64().unwrap())
        .collect()
}

async fn set_mode(srv: &TestServer, k: &str, mode: &str, threshold: i32) {
    let body = json!({"mode": mode, "report_threshold": threshold});
    let url = "/api/participation/communes/1111/settings";
    let (s, b) = send(srv, Method::PUT, url, Some(k), Some(body)).await;
    assert_eq!(s, 200, "{b}");
}

// size: one story, from the first report to the cleared comment
#[tokio::test]
async fn comments_are_reported_hidden_at_the_threshold_and_moderated() {
    let (db, srv, planner, other) = with_planners().await;
    set_mode(&srv, &planner, "publish_first", 2).await;
    let id = submit(&srv, "Éclairage rue du Pacha", TUNIS[0]).await;
    let (s, c) = as_participant(
        &srv,
        &format!("/api/participation/proposals/{id}/comments"),
        1,
        json!({"body": "Achetez des montres pas chères"}),
    )
    .await;
    assert_eq!(s, 201, "{c}");
    let cid = c["id"].as_i64().unwrap();
    assert_eq!(comments_of(&srv, id).await, vec![cid]);
    let reports = format!("/api/participation/comments/{cid}/reports");
    let (s, b) = as_participant(&srv, &reports, 2, json!({"reason": "spam"})).await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["comment_id"], cid);
    // once per participant; a reason from the list; an unknown comment is 404
    let (s, _) = as_participant(&srv, &reports, 2, json!({"reason": "offensive"})).await;
    assert_eq!(s, 409);
    let (s, b) = as_participant(&srv, &reports, 3, json!({"reason": "boring"})).await;
    assert_eq!(s, 400, "{b}");
    assert!(b.to_string().contains("off_topic"), "{b}");
    let (s, _) = as_participant(
        &srv,
        "/api/participation/comments/999999/reports",
        3,
        json!({"reason": "spam"}),
    )
    .await;
    assert_eq!(s, 404);
    assert_eq!(
        comments_of(&srv, id).await,
        vec![cid],
        "one report is not enough"
    );
    // the second participant's report reaches the threshold (2 here): hidden, logged by system
    let (s, _) = as_participant(&srv, &reports, 3, json!({"reason": "off_topic"})).await;
    assert_eq!(s, 201);
    assert!(comments_of(&srv, id).await.is_empty());
    let (_, p) = srv
        .get_json(&format!("/api/participation/proposals/{id}"))
        .await;
    assert_eq!(p["comments"], 0, "{p}");
    assert_eq!(log_actions(&db, cid).await, vec!["auto_hide"]);
    // a hidden comment can be neither reported nor answered
    let (s, _) = as_participant(&srv, &reports, 4, json!({"reason": "spam"})).await;
    assert_eq!(s, 404);

    // the queue shows it to the commune's moderators, with its reports by reason
    let queue = "/api/participation/moderation/queue?municipality=1111";
    let (s, q) = srv.get_json(queue).await;
    assert_eq!(s, 401, "{q}");
    assert_eq!(srv.get_as(queue, &other).await.status(), 403);
    let (s, q) = common::status_and_body(srv.get_as(queue, &planner).await).await;
    assert_eq!(s, 200, "{q}");
    assert_eq!(q["total"], 1, "{q}");
    let item = &q["items"][0];
    assert_eq!(
        (item["kind"].as_str(), item["id"].as_i64()),
        (Some("comment"), Some(cid))
    );
    assert_eq!(
        (item["hidden"].as_bool(), item["reports"].as_i64()),
        (Some(true), Some(2))
    );
    assert_eq!(item["reasons"], json!({"spam": 1, "off_topic": 1}));

    // moderation: out of scope 403, anonymous 401, a reason needed, then clear
    let act = format!("/api/participation/comments/{cid}/moderation");
    let clear = json!({"action": "clear", "reason": "signalements abusifs"});
    refused_to_strangers(&srv, &act, &other, &clear).await;
    let body = json!({"action": "clear"});
    let (s, _) = send(&srv, Method::POST, &act, Some(&planner), Some(body)).await;
    assert_eq!(s, 400);
    let (s, b) = send(&srv, Method::POST, &act, Some(&planner), Some(clear)).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(comments_of(&srv, id).await, vec![cid]);
    let (_, q) = common::status_and_body(srv.get_as(queue, &planner).await).await;
    assert_eq!(q["total"], 0, "cleared reports leave the queue: {q}");
    let body = json!({"action": "hide", "reason": "hors sujet"});
    let (s, _) = send(&srv, Method::POST, &act, Some(&planner), Some(body)).await;
    assert_eq!(s, 200);
    assert!(comments_of(&srv, id).await.is_empty());
    assert_eq!(
        log_actions(&db, cid).await,
        vec!["auto_hide", "clear", "hide"]
    );
    let (_, log) = common::status_and_body(
        srv.get_as(
            "/api/participation/moderation/log?municipality=1111",
            &planner,
        )
        .await,
    )
    .await;
    assert!(
        common::items(&log["log"]).any(|l| l["comment_id"] == cid
            && l["action"] == "hide"
            && l["reason"] == "hors sujet"
            && l["actor"].as_str().unwrap().starts_with("key:")),
        "{log}"
    );

    // moderate-first: a new comment waits in the queue until approved
    set_mode(&srv, &planner, "moderate_first", 3).await;
    let (_, c2) = as_participant(
        &srv,
        &format!("/api/participation/proposals/{id}/comments"),
        5,
        json!({"body": "Il faudrait aussi des bancs"}),
    )
    .await;
    let c2 = c2["id"].as_i64().unwrap();
    assert!(comments_of(&srv, id).await.is_empty(), "held back");
    let (_, q) = common::status_and_body(
        srv.get_as(&format!("{queue}&status=pending"), &planner)
            .await,
    )
    .await;
    assert_eq!(q["items"][0]["id"], c2, "{q}");
    assert_eq!(q["items"][0]["pending"], true);
    let approve = json!({"action": "approve", "reason": "conforme à la charte"});
    let act2 = format!("/api/participation/comments/{c2}/moderation");
    let (s, _) = send(&srv, Method::POST, &act2, Some(&planner), Some(approve)).await;
    assert_eq!(s, 200);
    assert_eq!(comments_of(&srv, id).await, vec![c2]);
}

#[tokio::test]
async fn the_queue_pages_pending_and_reported_proposals() {
    let (db, srv) = sample_server().await;
    let planner = key(&db, "planner", &["1111"], None).await;
    let admin = key(&db, "admin", &[], None).await;
    set_mode(&srv, &planner, "moderate_first", 3).await;
    let ids = submit_row(&srv, "Proposition", 5, 0.001).await;
    let page = |q: &str| {
        let (srv, admin) = (&srv, &admin);
        let q = format!("/api/participation/moderation/queue?municipality=1111{q}");
        async move { common::status_and_body(srv.get_as(&q, admin).await).await }
    };
    let (s, a) = page("&limit=2").await;
    assert_eq!(s, 200, "{a}");
    assert_eq!(a["total"], 5);
    let (_, b) = page("&limit=2&offset=2").await;
    let (_, c) = page("&limit=2&offset=4").await;
    let seen: Vec<i64> = [&a, &b, &c]
        .iter()
        .flat_map(|p| common::items(&p["items"]).map(|i| i["id"].as_i64().unwrap()))
        .collect();
    assert_eq!(seen, ids, "every pending proposal once, oldest first");
    assert!(common::items(&a["items"]).all(|i| i["pending"] == true && i["kind"] == "proposal"));
    assert!(!a.to_string().contains(SECRET_CONTACT) && !a.to_string().contains(SECRET_NAME));
    for bad in [
        "&limit=0",
        "&limit=201",
        "&offset=-1",
        "&status=everything",
        "&limit=many",
    ] {
        let (s, b) = page(bad).await;
        assert_eq!(s, 400, "{bad}: {b}");
    }
    let (s, _) = common::status_and_body(
        srv.get_as("/api/participation/moderation/queue", &admin)
            .await,
    )
    .await;
    assert_eq!(s, 400, "a commune is needed");
    // approving takes a proposal out of the pending list; a report puts it in the reported one
    let approve = json!({"action": "approve", "reason": "ok"});
    let act = format!("/api/participation/proposals/{}/moderation", ids[0]);
    let (s, _) = send(&srv, Method::POST, &act, Some(&planner), Some(approve)).await;
    assert_eq!(s, 200);
    let (_, p) = page("&status=pending").await;
    assert_eq!(p["total"], 4);
    let reports = format!("/api/participation/proposals/{}/reports", ids[0]);
    assert_eq!(
        as_participant(&srv, &reports, 1, json!({"reason": "offensive"}))
            .await
            .0,
        201
    );
    let (_, r) = page("&status=reported").await;
    assert_eq!(r["total"], 1, "{r}");
    assert_eq!(r["items"][0]["id"], ids[0]);
    assert_eq!(r["items"][0]["reasons"], json!({"offensive": 1}));
}

/// Every public output that could carry a proposal, as text.
async fn public_outputs(srv: &TestServer, id: i64) -> Vec<(String, String)> {
    let mut paths: Vec<String> = [
        "/api/participation/proposals?municipality=1111",
        "/api/participation/export/proposals.csv",
        "/api/participation/export/proposals.geojson",
        "/api/participation/communes/1111/you-said-we-did",
        "/collections/proposals/items?f=json",
        "/collections/proposals/items?f=html",
        "/collections/proposals/items?f=csv",
        "/map?municipality=1111",
    ]
    .iter()
    .map(|p| p.to_string())
    .collect();
    paths.push(format!("/api/participation/proposals/{id}"));
    paths.push(format!("/api/participation/proposals/{id}/comments"));
    paths.push(format!("/collections/proposals/items/{id}?f=html"));
    let mut out = Vec::new();
    for p in paths {
        let r = srv.get(&p).await;
        assert_eq!(r.status(), 200, "{p}");
        out.push((
            p,
            String::from_utf8_lossy(&r.bytes().await.unwrap()).into_owned(),
        ));
    }
    for z in [8, 14] {
        let (x, y) = common::tile_of(TUNIS[0], TUNIS[1], z);
        let p = format!("/tiles/proposals/{z}/{x}/{y}.pbf");
        let bytes = srv.get(&p).await.bytes().await.unwrap();
        assert!(!bytes.is_empty(), "{p} holds the proposal");
        out.push((p, String::from_utf8_lossy(&bytes).into_owned()));
    }
    out
}

#[tokio::test]
async fn a_moderator_reaches_the_author_whose_contact_is_never_public() {
    let (db, srv, planner, other) = with_planners().await;
    let id = submit(&srv, "Lampadaire cassé", TUNIS[0]).await;
    let contact = format!("/api/participation/proposals/{id}/contact");
    let why = json!({"reason": "préciser l'emplacement"});
    refused_to_strangers(&srv, &contact, &other, &why).await;
    let (s, _) = send(
        &srv,
        Method::POST,
        &contact,
        Some(&planner),
        Some(json!({})),
    )
    .await;
    assert_eq!(s, 400);
    let missing = "/api/participation/proposals/999999/contact";
    let body = why.clone();
    let (s, _) = send(&srv, Method::POST, missing, Some(&planner), Some(body)).await;
    assert_eq!(s, 404);
    let r = srv
        .client
        .post(srv.url(&contact))
        .bearer_auth(&planner)
        .json(&why)
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["cache-control"], "no-store");
    let b: Value = r.json().await.unwrap();
    assert_eq!(
        (b["author_name"].as_str(), b["author_contact"].as_str()),
        (Some(SECRET_NAME), Some(SECRET_CONTACT))
    );
    let logged: (String, String) = db.row("SELECT actor, reason FROM moderation_log WHERE proposal_id = $1 AND action = 'contact'", (id,)).await;
    assert!(
        logged.0.starts_with("key:") && logged.1 == "préciser l'emplacement",
        "{logged:?}"
    );
    // a comment, so that the comments output has something; then every public output
    as_participant(
        &srv,
        &format!("/api/participation/proposals/{id}/comments"),
        1,
        json!({"body": "Oui"}),
    )
    .await;
    let outputs = public_outputs(&srv, id).await;
    assert!(
        outputs.iter().any(|(_, t)| t.contains("Lampadaire cassé")),
        "the proposal is public"
    );
    for (path, text) in outputs {
        assert!(
            !text.contains(SECRET_CONTACT) && !text.contains(SECRET_NAME),
            "{path} carries the author"
        );
        assert!(
            !text.contains("leila") && !text.contains("nadia.private"),
            "{path}"
        );
    }
}

/// The zone code of proposal `id` as the public sees it.
async fn zone_of(srv: &TestServer, id: i64) -> Value {
    let (_, p) = srv
        .get_json(&format!("/collections/proposals/items/{id}"))
        .await;
    p["properties"]["zone_code"].clone()
}

#[tokio::test]
async fn proposals_are_tagged_again_when_their_zone_changes() {
    let (db, srv) = sample_server().await;
    let planner = key(&db, "planner", &["1111"], None).await;
    let id = submit(&srv, "Trottoirs", TUNIS[0]).await;
    assert_eq!(zone_of(&srv, id).await, Value::Null, "no zone yet");
    // a zone drawn afterwards (Part 4, as QGIS does) tags the proposal already there
    let items = "/collections/participation-zones/items";
    let r = post_geojson(&srv, items, &planner, &zone("Z1", "1111")).await;
    assert_eq!(r.status(), 201);
    let item = r.headers()["location"]
        .to_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    assert_eq!(zone_of(&srv, id).await, "Z1");
    // moved away from it: untagged; a second zone imported by SQL (as `--as zones` does) takes it
    let away = json!({"geometry": {"type": "Polygon", "coordinates": [[[10.20, 36.79], [10.22, 36.79], [10.22, 36.81], [10.20, 36.81], [10.20, 36.79]]]}});
    let r = srv
        .client
        .patch(srv.url(&format!("{items}/{item}")))
        .bearer_auth(&planner)
        .header("content-type", "application/merge-patch+json")
        .body(away.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204, "{}", r.text().await.unwrap());
    assert_eq!(zone_of(&srv, id).await, Value::Null);
    db.exec(
        "INSERT INTO participation_zone (municipality_code, code, geom)
         VALUES ('1111', 'Z2', ST_Multi(ST_MakeEnvelope(10.165, 36.795, 10.175, 36.805, 4326)))",
        (),
    )
    .await;
    assert_eq!(zone_of(&srv, id).await, "Z2");
    // the zone renamed: the tag follows; the zone deleted: untagged
    db.exec(
        "UPDATE participation_zone SET code = 'Z2b' WHERE code = 'Z2'",
        (),
    )
    .await;
    assert_eq!(zone_of(&srv, id).await, "Z2b");
    db.exec("DELETE FROM participation_zone WHERE code = 'Z2b'", ())
        .await;
    assert_eq!(zone_of(&srv, id).await, Value::Null);
}

fn text_prop(p: &std::collections::HashMap<String, MvtValue>, k: &str) -> Option<String> {
    match p.get(k) {
        Some(MvtValue::String(s)) => Some(s.clone()),
        _ => None,
    }
}

#[tokio::test]
async fn proposals_tiles_are_clusters_below_zoom_11() {
    let (db, srv) = sample_server().await;
    let planner = key(&db, "planner", &["1111"], None).await;
    let ids = submit_row(&srv, "Éclairage", 4, 0.0003).await;
    // one hidden: counted nowhere
    let act = format!("/api/participation/proposals/{}/moderation", ids[3]);
    let hide = json!({"action": "hide", "reason": "doublon"});
    let (s, _) = send(&srv, Method::POST, &act, Some(&planner), Some(hide)).await;
    assert_eq!(s, 200);
    let near = features_at(&srv, 14, "").await;
    assert_eq!(near.len(), 3);
    assert!(near
        .iter()
        .all(|(_, p)| number(p.get("proposals")) == Some(1.0) && text_prop(p, "title").is_some()));
    for z in [5, 8, 10] {
        let far = features_at(&srv, z, "").await;
        assert_eq!(
            far.len(),
            1,
            "z{z}: one cluster of the three (same state, theme, commune)"
        );
        let (fid, p) = &far[0];
        assert_eq!(number(p.get("proposals")), Some(3.0), "z{z}");
        assert_eq!(*fid, 0, "a cluster has no id");
        assert_eq!(text_prop(p, "title"), None, "no title for a cluster");
        assert_eq!(text_prop(p, "state").as_deref(), Some("published"));
        assert_eq!(text_prop(p, "municipality_code").as_deref(), Some("1111"));
        // the filters of the tiles apply to clusters
        assert!(features_at(&srv, z, "municipality=2111").await.is_empty());
        let q = "filter=state%20%3D%20%27accepted%27";
        assert!(features_at(&srv, z, q).await.is_empty(), "z{z}");
    }
    // a proposal alone in its cell keeps its id and title
    let accepted = json!({"state": "evaluating", "answer": "À l'étude"});
    let answer = format!("/api/participation/proposals/{}/answer", ids[0]);
    let (s, _) = send(&srv, Method::POST, &answer, Some(&planner), Some(accepted)).await;
    assert_eq!(s, 200);
    // the cached z8 tile is dropped when this instance hears the change (asynchronous)
    let mut alone = None;
    for _ in 0..100 {
        alone = features_at(&srv, 8, "")
            .await
            .into_iter()
            .find(|(_, p)| text_prop(p, "state").as_deref() == Some("evaluating"));
        if alone.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let alone = alone.expect("its own cluster within 5 s");
    assert_eq!(alone.0, ids[0] as u64);
    assert_eq!(text_prop(&alone.1, "title").as_deref(), Some("Éclairage 0"));
}
