//! Location disclosure control (issue 13, item 3; docs/disclosure.md): for each level, every
//! public output — features JSON, CSV, GeoPackage (read by `ogrinfo`), decoded vector tiles,
//! IATI XML, the HTML items page, the project context — holds no coordinate closer to the true
//! location than the level allows; key holders with the right get the exact location; a change of
//! level is in the very next tile (no stale cache).
mod read;

use crate::common;

use read::*;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn each_level_masks_every_public_output() {
    let (db, srv, admin) = common::sample_server_with_admin().await;
    let l = pick(&db).await;
    let truth = (l.lon, l.lat);
    let unit = unit_point(&db, &l.municipality).await;
    for level in ["exact", "displaced", "unit", "withheld"] {
        set_level(&srv, &admin, &l.code, level).await;
        let public = public_point(&db, l.id).await;
        settled(&srv, &l, public).await;
        let outputs = public_outputs(&srv, &l, public).await;
        check(level, truth, unit, &outputs);
        iati_codes(&srv, &l, level).await;
    }
    // the levels do not change what key holders with the right read: admin, and a planner of the
    // location's municipality; a planner of another one reads the public geometry
    let planner = common::key(&db, "planner", &[&l.municipality], None).await;
    let elsewhere = if l.municipality == "1111" {
        "1116"
    } else {
        "1111"
    };
    let other = common::key(&db, "planner", &[elsewhere], None).await;
    set_level(&srv, &admin, &l.code, "displaced").await;
    let item = format!("/collections/projects/items/{}?f=json", l.project_id);
    for (who, k, exact) in [
        ("admin", &admin, true),
        ("planner", &planner, true),
        ("other planner", &other, false),
    ] {
        let near = coords_in(&text(&srv, &item, Some(k)).await)
            .iter()
            .chain(&tile_coords(&srv, Some(k), &l.code, truth).await)
            .any(|c| metres(*c, truth) < 2.0);
        assert_eq!(near, exact, "{who} reads the exact location: {near}");
    }
}

#[tokio::test]
async fn displaced_is_stable_inside_its_municipality() {
    let (db, srv, admin) = common::sample_server_with_admin().await;
    let l = pick(&db).await;
    set_level(&srv, &admin, &l.code, "displaced").await;
    let first = public_point(&db, l.id).await.expect("a displaced point");
    let d = metres(first, (l.lon, l.lat));
    assert!((500.0 - 0.5..=2000.5).contains(&d), "displaced by {d:.1} m");
    let inside: bool = sqlx::query_scalar(
        "SELECT ST_CoveredBy(l.public_geom, u.geom) FROM project_location l, admin_unit u
         WHERE l.id = $1 AND u.level = 'municipality' AND u.code = $2 AND u.valid_to IS NULL",
    )
    .bind(l.id)
    .bind(&l.municipality)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert!(
        inside,
        "the displaced point left municipality {}",
        l.municipality
    );
    let item = format!("/collections/projects/items/{}?f=json", l.project_id);
    let answer = text(&srv, &item, None).await;
    for _ in 0..3 {
        assert_eq!(
            text(&srv, &item, None).await,
            answer,
            "repeated requests differ"
        );
    }
    // recomputed from scratch (a level round trip, then a new server: a restart) it is the same
    set_level(&srv, &admin, &l.code, "exact").await;
    set_level(&srv, &admin, &l.code, "displaced").await;
    assert_eq!(public_point(&db, l.id).await, Some(first));
    let again = common::serve(db.pool.clone()).await;
    assert_eq!(
        coords_in(&text(&again, &item, None).await),
        coords_in(&answer)
    );
    // the public geometry cannot be written by hand: the trigger puts it back
    db.exec(
        "UPDATE project_location SET public_geom = geom WHERE id = $1",
        (l.id,),
    )
    .await;
    assert_eq!(public_point(&db, l.id).await, Some(first));
}

#[tokio::test]
async fn a_level_change_reaches_the_next_tile_and_bad_levels_are_refused() {
    let (db, srv, admin) = common::sample_server_with_admin().await;
    let l = pick(&db).await;
    let truth = (l.lon, l.lat);
    let near = |cs: Vec<(f64, f64)>| cs.iter().any(|c| metres(*c, truth) < 2.0);
    assert!(
        near(tile_coords(&srv, None, &l.code, truth).await),
        "the exact point is drawn"
    );
    set_level(&srv, &admin, &l.code, "withheld").await;
    let mut fresh = false;
    for _ in 0..50 {
        if tile_coords(&srv, None, &l.code, truth).await.is_empty() {
            fresh = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(fresh, "the cached tile still draws the withheld location");
    let before: String = db
        .scalar(
            "SELECT disclosure FROM project_location WHERE id = $1",
            (l.id,),
        )
        .await;
    let path = format!("/api/projects/{}/disclosure", l.code);
    for (body, key, want) in [
        (json!({"disclosure": "blurred"}), Some(admin.as_str()), 400),
        (json!({"disclosure": 3}), Some(admin.as_str()), 400),
        (
            json!({"disclosure": "exact", "locations": ["nope"]}),
            Some(admin.as_str()),
            404,
        ),
        (json!({"disclosure": "exact"}), None, 401),
    ] {
        let (status, answer) =
            common::send(&srv, Method::PUT, &path, key, Some(body.clone())).await;
        assert_eq!(status, want, "{body}: {answer}");
    }
    let after: String = db
        .scalar(
            "SELECT disclosure FROM project_location WHERE id = $1",
            (l.id,),
        )
        .await;
    assert_eq!(before, after, "a refused request changed the level");
    // the features write path takes the level too, validated by the same list
    let pid = l.project_id;
    let (status, answer) =
        crate::write_rules::patch(&srv, &admin, pid, json!({"disclosure": "sideways"})).await;
    assert_eq!(status, 400, "{answer}");
    assert!(
        answer.to_string().contains("withheld"),
        "the refusal lists the levels: {answer}"
    );
    let (status, answer) =
        crate::write_rules::patch(&srv, &admin, pid, json!({"disclosure": "unit"})).await;
    assert!(matches!(status, 200 | 204), "{status} {answer}");
    let level: String = db
        .scalar(
            "SELECT disclosure FROM project_location WHERE id = $1",
            (l.id,),
        )
        .await;
    assert_eq!(level, "unit");
    // assignments of a masked location carry no share for the public; admins read them
    let path = format!("/api/projects/{}/assignments", l.code);
    let (_, public) = common::send(&srv, Method::GET, &path, None, None).await;
    let (_, exact) = common::send(&srv, Method::GET, &path, Some(&admin), None).await;
    let shares = |v: &serde_json::Value| {
        common::items(&v["assignments"])
            .filter(|a| !a["share"].is_null())
            .count()
    };
    assert_eq!(shares(&public), 0, "{public}");
    assert!(shares(&exact) > 0, "{exact}");
}
