//! The fast paths of issue 14 (features without the answer cache) and issue 11 (proposal
//! submissions): the shortcuts keep every answer. numberMatched taken from a short page equals a
//! count of the same query, with paging links to match; a submission outside every municipality is
//! refused in its one statement with nothing written, and an accepted one is stored, tagged, held
//! for moderation, with its author row and its tile change.
use crate::common;

use mokhattat::config::ConnLimits;
use serde_json::{json, Value};

use common::{TestDb, TestServer};

/// numberMatched, numberReturned and the `next`/`prev` links of one page.
async fn page(srv: &TestServer, path: &str) -> (i64, i64, bool, bool) {
    let (s, b) = srv.get_json(path).await;
    assert_eq!(s, 200, "{path}: {b}");
    let rels: Vec<&str> = b["links"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["rel"].as_str())
        .collect();
    let returned = b["numberReturned"].as_i64().unwrap();
    assert_eq!(
        returned,
        b["features"].as_array().unwrap().len() as i64,
        "{path}"
    );
    (
        b["numberMatched"].as_i64().unwrap(),
        returned,
        rels.contains(&"next"),
        rels.contains(&"prev"),
    )
}

#[tokio::test]
async fn number_matched_from_short_pages_equals_the_count() {
    let (db, srv) = common::sample_server().await;
    let (munis, big, public): (i64, i64, i64) = sqlx::query_as(
        "SELECT count(*), count(*) FILTER (WHERE area_km2 > 100),
                (SELECT count(*) FROM project WHERE is_public)
         FROM admin_unit_current WHERE level = 'municipality'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert!(
        munis > 300 && big > 10 && public > 10,
        "sample data: {munis} {big} {public}"
    );
    let m = "/collections/municipalities/items";
    // (path, matched, returned, next, prev): short first page, short last page, a page past the
    // end (counted), a full page (counted), a filtered short page
    let cases = [
        (format!("{m}?limit=1000"), munis, munis, false, false),
        (
            format!("{m}?limit=100&offset={}", munis - 7),
            munis,
            7,
            false,
            true,
        ),
        (
            format!("{m}?limit=10&offset={}", munis + 5),
            munis,
            0,
            false,
            true,
        ),
        (format!("{m}?limit=10&offset=20"), munis, 10, true, true),
        (format!("{m}?limit={munis}"), munis, munis, false, false),
        (
            format!("{m}?limit=1000&filter={}", common::enc("area_km2 > 100")),
            big,
            big,
            false,
            false,
        ),
        (
            format!("{m}?limit=5&filter={}", common::enc("area_km2 > 100")),
            big,
            5,
            true,
            false,
        ),
        (
            "/collections/projects/items?limit=1000".to_string(),
            public,
            public,
            false,
            false,
        ),
        (
            "/collections/projects/items?limit=10".to_string(),
            public,
            10,
            true,
            false,
        ),
    ];
    for (path, matched, returned, next, prev) in cases {
        assert_eq!(
            page(&srv, &path).await,
            (matched, returned, next, prev),
            "{path}: (numberMatched, numberReturned, next, prev)"
        );
    }
}

async fn counts(db: &TestDb) -> (i64, i64, i64) {
    (
        db.scalar("SELECT count(*) FROM proposal", ()).await,
        db.scalar("SELECT count(*) FROM proposal_author", ()).await,
        db.scalar("SELECT count(*) FROM tile_change", ()).await,
    )
}

async fn submit(srv: &TestServer, lon: f64, lat: f64) -> (u16, Value) {
    let r = srv
        .client
        .post(srv.url("/api/participation/proposals"))
        .header("content-type", "application/json")
        .header("x-participant", "fast-paths-participant-000001")
        .body(
            json!({
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "theme": "roads", "lang": "fr", "title": "Nid de poule",
                "body": "La chaussée est abîmée devant l'école", "author_contact": "fast@example.tn"
            })
            .to_string(),
        )
        .send()
        .await
        .unwrap();
    common::status_and_body(r).await
}

#[tokio::test]
async fn a_submission_is_refused_whole_or_stored_tagged_and_flushed() {
    let db = common::sample_db().await;
    db.exec(
        "INSERT INTO participation_setting (municipality_code, mode) VALUES ('1111', 'moderate_first')
         ON CONFLICT (municipality_code) DO UPDATE SET mode = EXCLUDED.mode",
        (),
    )
    .await;
    let srv = common::serve_with(
        db.pool.clone(),
        |s| s.rate_limit.per_minute = 0,
        &ConnLimits::default(),
    )
    .await;
    let before = counts(&db).await;
    // the open sea north of Cap Bon: outside every municipality
    let (s, b) = submit(&srv, 10.9, 37.6).await;
    assert_eq!(s, 400, "{b}");
    let msg = b.to_string();
    assert!(
        msg.contains("outside every municipality") && msg.contains("خارج حدود البلديات"),
        "{msg}"
    );
    assert_eq!(
        counts(&db).await,
        before,
        "a refused submission writes nothing"
    );

    let (s, b) = submit(&srv, 10.1700, 36.7990).await;
    assert_eq!(s, 201, "{b}");
    let id = b["id"].as_i64().unwrap();
    let row: (String, bool, i64) = sqlx::query_as(
        "SELECT p.municipality_code, p.awaiting_moderation, (SELECT count(*) FROM proposal_author a WHERE a.proposal_id = p.id) FROM proposal p WHERE p.id = $1",
    )
    .bind(id)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(
        row,
        ("1111".to_string(), true, 1),
        "stored, tagged, held, with its author row"
    );
    assert_eq!(b["tags"]["municipality_code"], "1111", "{b}");
    assert_eq!(b["awaiting_moderation"], true, "{b}");
    assert!(
        b["edit_token"].is_string() && b["possible_duplicates"].is_array(),
        "{b}"
    );
    let after = counts(&db).await;
    assert_eq!((after.0, after.1), (before.0 + 1, before.1 + 1));
    assert!(after.2 > before.2, "the tiles heard of it (tile_change)");
}
