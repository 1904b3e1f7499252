//! Issue 11, the submission path on real PostGIS through HTTP (one statement a submission,
//! bench/participation/README.md): the possible duplicates returned at submission are public
//! proposals only (a proposal waiting for moderation is suggested once approved), the same as
//! `GET …/similar`; an invalid place is refused at submission and at edit, changing nothing.
use crate::participation_layers::{sample_server, TUNIS};

use reqwest::Method;
use serde_json::{json, Value};

use crate::common::{http::assert_says, key, send, TestServer};

async fn set_mode(srv: &TestServer, k: &str, mode: &str) {
    let body = json!({"mode": mode, "report_threshold": 3});
    let url = "/api/participation/communes/1111/settings";
    let (s, b) = send(srv, Method::PUT, url, Some(k), Some(body)).await;
    assert_eq!(s, 200, "{b}");
}

/// A lighting proposal `east` degrees east of TUNIS: the whole receipt.
async fn receipt(srv: &TestServer, title: &str, east: f64) -> Value {
    let body = json!({"geometry": {"type": "Point", "coordinates": [TUNIS[0] + east, TUNIS[1]]},
                      "theme": "lighting", "lang": "fr", "title": title, "body": "La rue est sombre"});
    let (s, b) = propose(srv, body).await;
    assert_eq!(s, 201, "{b}");
    b
}

/// An anonymous submission: its status and answer.
async fn propose(srv: &TestServer, body: Value) -> (u16, Value) {
    let url = "/api/participation/proposals";
    send(srv, Method::POST, url, None, Some(body)).await
}

fn ids(v: &Value) -> Vec<i64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn a_waiting_proposal_is_suggested_as_a_duplicate_only_once_approved() {
    let (db, srv) = sample_server().await;
    let planner = key(&db, "planner", &["1111"], None).await;
    set_mode(&srv, &planner, "moderate_first").await;
    let a = receipt(&srv, "Lampadaires A", 0.0).await;
    assert_eq!(a["awaiting_moderation"], true, "{a}");
    // ~45 m away, same theme: the waiting proposal is not suggested
    let b = receipt(&srv, "Lampadaires B", 0.0005).await;
    assert_eq!(b["possible_duplicates"], json!([]), "{b}");
    let approve = json!({"action": "approve", "reason": "conforme"});
    let act = format!("/api/participation/proposals/{}/moderation", a["id"]);
    let (s, r) = send(&srv, Method::POST, &act, Some(&planner), Some(approve)).await;
    assert_eq!(s, 200, "{r}");
    // now public: suggested (with its distance), the still waiting B is not
    let c = receipt(&srv, "Lampadaires C", 0.001).await;
    assert_eq!(
        ids(&c["possible_duplicates"]),
        vec![a["id"].as_i64().unwrap()],
        "{c}"
    );
    let d = &c["possible_duplicates"][0];
    assert!(
        (80..=100).contains(&d["distance_m"].as_i64().unwrap()),
        "{d}"
    );
    // publishing first: a submission is public itself
    set_mode(&srv, &planner, "publish_first").await;
    let e = receipt(&srv, "Lampadaires E", 0.0002).await;
    assert_eq!(
        ids(&e["possible_duplicates"]),
        vec![a["id"].as_i64().unwrap()]
    );
    // the same rule answers GET …/similar (A is suggested for E, and E for A)
    let path = format!("/api/participation/proposals/{}/similar", e["id"]);
    let (s, sim) = srv.get_json(&path).await;
    assert_eq!(s, 200, "{sim}");
    assert_eq!(sim["similar"], e["possible_duplicates"], "{sim}");
    let path = format!("/api/participation/proposals/{}/similar", a["id"]);
    let (_, sim) = srv.get_json(&path).await;
    assert_eq!(
        ids(&sim["similar"]),
        vec![e["id"].as_i64().unwrap()],
        "{sim}"
    );
}

#[tokio::test]
async fn an_invalid_place_is_refused_at_submission_and_at_edit() {
    let (db, srv) = sample_server().await;
    let bowtie = json!({"type": "Polygon", "coordinates": [[[10.17, 36.79], [10.18, 36.80], [10.18, 36.79], [10.17, 36.80], [10.17, 36.79]]]});
    let body =
        json!({"geometry": bowtie, "theme": "roads", "lang": "fr", "title": "t", "body": "b"});
    let (s, b) = propose(&srv, body).await;
    assert_says(s, &b, 400, "not valid");
    assert_says(s, &b, 400, "الشكل غير صالح");
    let stored: i64 = db.scalar("SELECT count(*) FROM proposal", ()).await;
    assert_eq!(stored, 0, "nothing stored");
    let first = receipt(&srv, "Éclairage", 0.0).await;
    let id = first["id"].as_i64().unwrap();
    let token = first["edit_token"].as_str().unwrap().to_string();
    let r = srv
        .client
        .patch(srv.url(&format!("/api/participation/proposals/{id}")))
        .header("x-edit-token", token)
        .json(&json!({"geometry": bowtie}))
        .send()
        .await
        .unwrap();
    let (s, b) = crate::common::status_and_body(r).await;
    assert_eq!(s, 400, "{b}");
    assert!(
        b["description"].as_str().unwrap().contains("not valid"),
        "{b}"
    );
    let unchanged: bool = db
        .scalar(
            "SELECT ST_Equals(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326)) FROM proposal WHERE id = $3",
            (TUNIS[0], TUNIS[1], id),
        )
        .await;
    assert!(unchanged, "the place is unchanged");
}
