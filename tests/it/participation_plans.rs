//! Plan versions: an adopted plan is revised into a new draft version that copies its stages and
//! lines; a draft is edited in place; only the latest version can be revised; the old version is
//! unchanged.
use crate::common;
use common::send;

use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn an_adopted_plan_is_revised_into_a_new_version() {
    let db = common::sample_db().await;
    let srv = common::serve(db.pool.clone()).await;
    let planner = common::key(&db, "planner", &["1111"], None).await;
    let other = common::key(&db, "planner", &["2111"], None).await;
    let project: String = db
        .scalar(
            "SELECT code FROM project WHERE is_public ORDER BY code LIMIT 1",
            (),
        )
        .await;
    let k = Some(planner.as_str());
    let body = json!({"municipality": "1111", "kind": "PIC", "title": "PIC 2026-2030", "period_start": 2026, "period_end": 2030});
    let url = "/api/participation/plans";
    let (s, p) = send(&srv, Method::POST, url, k, Some(body)).await;
    assert_eq!(s, 201, "{p}");
    let id = p["id"].as_i64().unwrap();
    let plan = format!("/api/participation/plans/{id}");
    let revise = format!("{plan}/revisions");
    let body = json!({"project": project, "year": 2027, "amount_tnd": 250000});
    let url = format!("{plan}/lines");
    let (s, b) = send(&srv, Method::POST, &url, k, Some(body)).await;
    assert_eq!(s, 201, "{b}");

    // a draft is edited in place, not revised
    let (s, b) = send(&srv, Method::POST, &revise, k, None).await;
    assert_eq!(s, 409, "{b}");
    let refusal = b["description"].as_str().unwrap();
    assert!(refusal.contains("edited in place"), "{b}");
    for body in [
        json!({"status": "consultation"}),
        json!({"status": "adopted", "adopted_on": "2026-03-01", "deliberation_ref": "DCM-12"}),
    ] {
        let (s, b) = send(&srv, Method::PATCH, &plan, k, Some(body)).await;
        assert_eq!(s, 200, "{b}");
    }
    // keys: none is 401, another commune's planner 403
    assert_eq!(send(&srv, Method::POST, &revise, None, None).await.0, 401);
    assert_eq!(
        send(&srv, Method::POST, &revise, Some(&other), None)
            .await
            .0,
        403
    );

    let before: i64 = db.scalar("SELECT count(*) FROM plan", ()).await;
    let (s, v2) = send(&srv, Method::POST, &revise, k, None).await;
    assert_eq!(s, 201, "{v2}");
    assert_eq!(
        (
            v2["version"].clone(),
            v2["previous_id"].clone(),
            v2["status"].clone()
        ),
        (json!(2), json!(id), json!("draft"))
    );
    assert_eq!(v2["lines"].as_array().unwrap().len(), 1, "{v2}");
    assert_eq!(v2["lines"][0]["project"], json!(project));
    assert_eq!(v2["stages"].as_array().unwrap().len(), 4);
    let after: i64 = db.scalar("SELECT count(*) FROM plan", ()).await;
    assert_eq!(after, before + 1);

    // the old version is unchanged and points to the new one; it cannot be revised again
    let (_, v1) = srv.get_json(&plan).await;
    assert_eq!(
        (
            v1["status"].clone(),
            v1["version"].clone(),
            v1["next_id"].clone()
        ),
        (json!("adopted"), json!(1), v2["id"].clone())
    );
    let (s, b) = send(&srv, Method::POST, &revise, k, None).await;
    assert_eq!(s, 409, "{b}");
    assert!(
        b["description"].as_str().unwrap().contains("later version"),
        "{b}"
    );
    assert_eq!(
        send(
            &srv,
            Method::POST,
            "/api/participation/plans/999999/revisions",
            k,
            None
        )
        .await
        .0,
        404
    );
}
