//! Land-use conformity (each verdict, then after a rule change through the API, JSON and CSV) and
//! monitoring (lifecycle transitions with 409 and the reason, progress reports, history), with
//! real keys and real HTTP.
use crate::common;

use reqwest::Method;
use serde_json::{json, Value};
use sqlx::PgPool;

use common::{key, send, TestServer};

const RULES: &str = "/api/conformity/rules";

/// POST a JSON body to `/api/projects/M-LIFE/{what}` with a key (when given): (status, body).
async fn post(srv: &TestServer, what: &str, k: Option<&str>, body: Value) -> (u16, Value) {
    let path = format!("/api/projects/M-LIFE/{what}");
    send(srv, Method::POST, &path, k, Some(body)).await
}

/// Move M-LIFE to status `s` (with a note).
async fn set_status(srv: &TestServer, k: Option<&str>, s: &str) -> (u16, Value) {
    post(srv, "status", k, json!({"status": s, "note": "test"})).await
}

/// A progress report on M-LIFE.
async fn report(srv: &TestServer, k: &str, b: Value) -> (u16, Value) {
    post(srv, "progress", Some(k), b).await
}

async fn project_at(
    pool: &PgPool,
    code: &str,
    ptype: &str,
    precision: &str,
    point_sql: &str,
) -> i64 {
    let pid: i64 = sqlx::query_scalar(
        "INSERT INTO project (code, title_fr, project_type, budget_tnd, status, partner, planned_start, planned_end)
         VALUES ($1, 'Projet ' || $1, $2, 1000, 'planned', 'test-partner', current_date - 30, current_date + 700) RETURNING id",
    )
    .bind(code)
    .bind(ptype)
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query(&format!(
        "INSERT INTO project_location (project_id, source_id, precision, geom) SELECT $1, 'a', $2, ({point_sql})"
    ))
    .bind(pid)
    .bind(precision)
    .execute(pool)
    .await
    .unwrap();
    pid
}

async fn verdict(pool: &PgPool, code: &str) -> (String, Value) {
    sqlx::query_as(
        "SELECT c.verdict, c.reasons FROM project_conformity c JOIN project p ON p.id = c.project_id WHERE p.code = $1",
    )
    .bind(code)
    .fetch_one(pool)
    .await
    .unwrap()
}

const IN_2014: &str = "SELECT ST_PointOnSurface(geom) FROM landuse_zone WHERE class = 'urban_perimeter_2014' AND municipality_code = '1111'";
const IN_2016: &str = "SELECT ST_PointOnSurface(geom) FROM landuse_zone WHERE class = 'extension_2016' ORDER BY municipality_code LIMIT 1";
const AT_SEA: &str = "SELECT ST_SetSRID(ST_MakePoint(10.9, 37.3), 4326)";

#[tokio::test]
async fn conformity_verdicts_and_rule_changes() {
    let db = common::sample_db().await;
    project_at(&db.pool, "C-URBAN", "building", "exact", IN_2014).await;
    project_at(&db.pool, "C-EXT", "building", "exact", IN_2016).await;
    project_at(&db.pool, "C-SEA", "building", "exact", AT_SEA).await;
    project_at(&db.pool, "C-NAT", "building", "national", AT_SEA).await;
    project_at(&db.pool, "C-ODD", "spaceport", "exact", IN_2014).await;
    let (v, reasons) = verdict(&db.pool, "C-URBAN").await;
    assert_eq!(v, "allowed", "{reasons}");
    let part = &reasons[0]["parts"][0];
    assert_eq!(
        (part["class"].as_str(), part["zone_code"].as_str()),
        (Some("urban_perimeter_2014"), Some("P2014"))
    );
    assert_eq!(
        part["rule"],
        json!({"project_type": "building", "class": "urban_perimeter_2014", "outcome": "allowed"})
    );
    assert_eq!(verdict(&db.pool, "C-EXT").await.0, "conditional");
    let (v, reasons) = verdict(&db.pool, "C-SEA").await;
    assert_eq!(v, "forbidden");
    assert_eq!(reasons[0]["parts"][0]["class"], "outside");
    let (v, reasons) = verdict(&db.pool, "C-NAT").await;
    assert_eq!(v, "not_assessed");
    assert!(
        reasons[0]["reason"].as_str().unwrap().contains("national"),
        "{reasons}"
    );
    let (v, reasons) = verdict(&db.pool, "C-ODD").await;
    assert_eq!(v, "not_assessed");
    assert!(
        reasons[0]["reason"]
            .as_str()
            .unwrap()
            .contains("no conformity rule"),
        "{reasons}"
    );

    // the filterable layer and the API list
    let layer: Vec<(String, String)> = db.rows("SELECT project_code, verdict FROM project_conformity_layer WHERE verdict IN ('forbidden', 'conditional') AND project_code LIKE 'C-%' ORDER BY 1", ()).await;
    assert_eq!(
        layer,
        [
            ("C-EXT".into(), "conditional".into()),
            ("C-SEA".into(), "forbidden".into())
        ]
    );
    let srv = common::serve(db.pool.clone()).await;
    let (status, list) = srv
        .get_json("/api/conformity/projects?verdict=forbidden")
        .await;
    assert_eq!(status, 200, "{list}");
    assert!(common::items(&list["projects"]).any(|p| p["code"] == "C-SEA"));
    // the same layer through OGC API – Features, filtered with CQL2 as QGIS would
    let query = serde_urlencoded::to_string([(
        "filter",
        "verdict IN ('forbidden','conditional') AND project_code LIKE 'C-%'",
    )])
    .unwrap();
    let (status, fc) = srv
        .get_json(&format!("/collections/conformity/items?{query}"))
        .await;
    assert_eq!(status, 200, "{fc}");
    let mut got: Vec<(String, String)> = common::items(&fc["features"])
        .map(|f| {
            (
                f["properties"]["project_code"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                f["properties"]["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(got, layer, "{fc}");
    assert!(fc["features"][0]["geometry"]["coordinates"].is_array());
    // a non-public project's locations are hidden from anonymous readers
    db.exec(
        "UPDATE project SET is_public = false WHERE code = 'C-SEA'",
        (),
    )
    .await;
    let (_, fc) = srv
        .get_json(&format!("/collections/conformity/items?{query}"))
        .await;
    assert_eq!(fc["numberMatched"], 1, "{fc}");
    db.exec(
        "UPDATE project SET is_public = true WHERE code = 'C-SEA'",
        (),
    )
    .await;

    // a rule change through the API (JSON): building in a 2016 extension becomes forbidden
    let admin = key(&db, "admin", &[], None).await;
    let planner = key(&db, "planner", &["1111"], None).await;
    let (_, rules) = srv.get_json(RULES).await;
    let mut edited: Vec<Value> = rules["rules"].as_array().unwrap().clone();
    for r in edited.iter_mut() {
        if r["project_type"] == "building" && r["class"] == "extension_2016" {
            r["outcome"] = json!("forbidden");
        }
        let o = r.as_object_mut().unwrap();
        o.remove("updated_at");
        o.remove("updated_by");
    }
    let body = json!({ "rules": edited });
    for (k, refused) in [(None, 401), (Some(planner.as_str()), 403)] {
        let (status, _) = send(&srv, Method::PUT, RULES, k, Some(body.clone())).await;
        assert_eq!(status, refused);
    }
    let (status, answer) = send(&srv, Method::PUT, RULES, Some(&admin), Some(body)).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["replaced"]["updated"], 1);
    assert_eq!(verdict(&db.pool, "C-EXT").await.0, "forbidden");
    assert_eq!(verdict(&db.pool, "C-URBAN").await.0, "allowed");

    // and back through CSV: GET the matrix as CSV, edit one line, PUT it
    let csv = srv.text("/api/conformity/rules?f=csv").await;
    assert!(csv.starts_with("project_type,class,outcome,note_fr,note_ar\r\n"));
    let csv = csv.replace(
        "building,extension_2016,forbidden",
        "building,extension_2016,conditional",
    );
    let put = |body: String, k: &str| {
        srv.client
            .put(srv.url(RULES))
            .bearer_auth(k)
            .header("content-type", "text/csv")
            .body(body)
            .send()
    };
    let r = put(csv.clone(), &admin).await.unwrap();
    assert_eq!(r.status().as_u16(), 200, "{}", r.text().await.unwrap());
    assert_eq!(verdict(&db.pool, "C-EXT").await.0, "conditional");
    // a bad matrix is refused whole, with every problem named
    let bad = format!("{csv}building,swamp,allowed,,\r\nroad,green,perhaps,,\r\n");
    let r = put(bad, &admin).await.unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let msg: Value = r.json().await.unwrap();
    let msg = msg["description"].as_str().unwrap();
    assert!(
        msg.contains("class 'swamp'") && msg.contains("outcome 'perhaps'"),
        "{msg}"
    );
    let n: i64 = db.scalar("SELECT count(*) FROM conformity_rule", ()).await;
    assert_eq!(n, 55, "the default matrix is still whole");
}

#[tokio::test]
async fn lifecycle_transitions_progress_and_history() {
    let db = common::sample_db().await;
    project_at(&db.pool, "M-LIFE", "facility", "exact", IN_2014).await;
    let srv = common::serve(db.pool.clone()).await;
    let planner = key(&db, "planner", &["1111"], None).await;
    let elsewhere = key(&db, "planner", &["3111"], None).await;
    let partner = key(&db, "partner", &[], Some("test-partner")).await;
    let stranger = key(&db, "partner", &[], Some("someone-else")).await;
    assert_eq!(set_status(&srv, None, "approved").await.0, 401);
    assert_eq!(set_status(&srv, Some(&elsewhere), "approved").await.0, 403);
    assert_eq!(set_status(&srv, Some(&stranger), "approved").await.0, 403);
    let (code, body) = set_status(&srv, Some(&planner), "completed").await;
    assert_eq!(code, 409, "{body}");
    let why = body["description"].as_str().unwrap();
    assert!(
        why.contains("cannot go from planned to completed") && why.contains("approved"),
        "{why}"
    );
    let (code, body) = set_status(&srv, Some(&planner), "on_hold").await;
    assert_eq!(code, 400, "{body}");
    let t_planned: String = db
        .scalar(
            "SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')",
            (),
        )
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    for (k, s) in [
        (&planner, "approved"),
        (&partner, "financed"),
        (&partner, "in_procurement"),
        (&planner, "works_under_way"),
    ] {
        let (code, body) = set_status(&srv, Some(k), s).await;
        assert_eq!(code, 200, "{s}: {body}");
        assert_eq!(body["monitoring"]["status"], s);
        let moved = (
            &body["project"],
            &body["to_status"],
            body["from_status"].is_string(),
        );
        assert_eq!(moved, (&json!("M-LIFE"), &json!(s), true), "{body}");
    }
    let (code, _) = set_status(&srv, Some(&planner), "works_under_way").await;
    assert_eq!(code, 409, "already there");

    let (code, body) = report(
        &srv,
        &partner,
        json!({"physical_pct": 30, "committed_tnd": "600.000", "paid_tnd": 250.5}),
    )
    .await;
    assert_eq!(code, 201, "{body}");
    let m = &body["monitoring"];
    assert_eq!(
        (m["physical_pct"].as_f64(), m["paid_tnd"].as_f64()),
        (Some(30.0), Some(250.5))
    );
    assert_eq!(m["execution_rate"].as_f64(), Some(0.2505));
    assert!(
        m["actual_start"].is_string(),
        "works started sets the actual start: {m}"
    );
    assert!(body["author"].as_str().unwrap().starts_with("key:"));
    assert!(
        body["event_id"].is_i64() && body["project"] == "M-LIFE",
        "{body}"
    );
    let (code, body) = report(
        &srv,
        &partner,
        json!({"committed_tnd": 100, "paid_tnd": 200}),
    )
    .await;
    assert_eq!(code, 400, "{body}");
    let (code, _) = report(&srv, &stranger, json!({"physical_pct": 50})).await;
    assert_eq!(code, 403);

    // suspended: blocked, with the cause
    let suspend = json!({"status": "suspended", "note": "litige foncier"});
    let (code, body) = post(&srv, "status", Some(&planner), suspend).await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(body["monitoring"]["blocked"], true);
    assert!(body["monitoring"]["blocked_cause"]
        .as_str()
        .unwrap()
        .contains("litige foncier"));
    let (code, body) = set_status(&srv, Some(&planner), "completed").await;
    assert_eq!(code, 409, "{body}");

    // history, and the state as of before the first transition
    let (code, h) = srv.get_json("/api/projects/M-LIFE/history").await;
    assert_eq!(code, 200);
    let kinds: Vec<&str> = common::strs(&h["events"], "kind");
    assert_eq!(
        kinds,
        ["status", "status", "status", "status", "progress", "status"]
    );
    assert!(h["events"][0]["author"]
        .as_str()
        .unwrap()
        .contains("test planner"));
    let (_, ctx) = srv
        .get_json(&format!("/api/projects/M-LIFE/context?as_of={t_planned}"))
        .await;
    assert_eq!(
        ctx["monitoring"]["status"], "planned",
        "{}",
        ctx["monitoring"]
    );
    let (_, ctx) = srv.get_json("/api/projects/M-LIFE/context").await;
    assert_eq!(ctx["monitoring"]["status"], "suspended");
    assert_eq!(ctx["progress"].as_array().unwrap().len(), 1);

    // cancelled projects take no more reports
    let (code, _) = set_status(&srv, Some(&planner), "cancelled").await;
    assert_eq!(code, 200);
    let (code, body) = report(&srv, &partner, json!({"physical_pct": 31})).await;
    assert_eq!(code, 409, "{body}");
}
