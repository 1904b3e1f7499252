//! Issue 11 leftover: proposals are tagged again, in the importing transaction, when a land-use
//! import or a boundary import changes what their place holds — through the real importer
//! (`mokhattat import`), read back through the public API.
use crate::common;
use crate::participation_layers::{server, submit_at, TUNIS};
use crate::planning_history::{near_bardo_boundary, RevisedBoundaries};

use serde_json::Value;

/// The public properties of proposal `id` (`/collections/proposals/items/{id}`).
async fn props(srv: &common::TestServer, id: i64) -> Value {
    let (s, b) = srv
        .get_json(&format!("/collections/proposals/items/{id}?f=json"))
        .await;
    assert_eq!(s, 200, "{b}");
    b["properties"].clone()
}

/// Imports, as version `version` of the zoning plan `plan-retag`, one `green` zone: the 300 m
/// around `at`.
async fn import_zone(db: &common::TestDb, at: [f64; 2], version: &str) {
    let geojson: String = db
        .scalar(
            "SELECT json_build_object('type', 'FeatureCollection', 'features', json_build_array(json_build_object(
                 'type', 'Feature', 'properties', json_build_object('id', 'Z1'),
                 'geometry', ST_AsGeoJSON(ST_Buffer(ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography, 300)::geometry, 9)::json)))::text",
            (at[0], at[1]),
        )
        .await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("zoning.geojson");
    std::fs::write(&file, geojson).unwrap();
    let mut args = vec![
        "import",
        file.to_str().unwrap(),
        "--as",
        "landuse",
        "--landuse-slug",
        "plan-retag",
        "--landuse-kind",
        "zoning_plan",
        "--field",
        "id=id",
        "--default",
        "class=green",
        "--default",
        "zone_code=PAU-V",
        "--source",
        "zoning plan (test)",
    ];
    if version != "1" {
        args.push("--new-version");
    }
    let out = common::cli(db, &args).await;
    let stdout = common::ok_stdout(&out);
    assert!(stdout.contains(&format!("version {version}")), "{stdout}");
}

#[tokio::test]
async fn a_landuse_import_retags_the_proposals_its_zones_cover() {
    let db = common::sample_db().await;
    let srv = server(&db).await;
    let a = [TUNIS[0], TUNIS[1]];
    let b = [TUNIS[0] + 0.02, TUNIS[1]];
    let pa = submit_at(&srv, "Éclairage du jardin", a).await;
    let pb = submit_at(&srv, "Éclairage de la place", b).await;
    let (before_a, before_b) = (props(&srv, pa).await, props(&srv, pb).await);
    assert_ne!(before_a["landuse_class"], "green", "{before_a}");
    assert_ne!(before_b["landuse_class"], "green", "{before_b}");
    // the outcome of the rule for the theme's project type in a green zone, read independently
    let green_hint: String = db
        .scalar(
            "SELECT r.outcome FROM conformity_rule r JOIN proposal_theme t ON t.project_type = r.project_type
             WHERE t.theme = 'lighting' AND r.class = 'green'",
            (),
        )
        .await;

    // version 1: a zone around A; a zoning plan wins over the sample's perimeters
    import_zone(&db, a, "1").await;
    let now_a = props(&srv, pa).await;
    assert_eq!(now_a["landuse_class"], "green", "{now_a}");
    assert_eq!(now_a["conformity_hint"], green_hint.as_str(), "{now_a}");
    assert_eq!(
        props(&srv, pb).await,
        before_b,
        "B is outside the zone: unchanged"
    );

    // version 2 moves the zone to B: A gets its earlier tags back, B is now in the green zone
    import_zone(&db, b, "2").await;
    let (now_a, now_b) = (props(&srv, pa).await, props(&srv, pb).await);
    assert_eq!(now_a["landuse_class"], before_a["landuse_class"], "{now_a}");
    assert_eq!(
        now_a["conformity_hint"], before_a["conformity_hint"],
        "{now_a}"
    );
    assert_eq!(now_b["landuse_class"], "green", "{now_b}");
}

#[tokio::test]
async fn a_boundary_reimport_moves_a_proposal_to_its_new_municipality() {
    let db = common::sample_db().await;
    let srv = server(&db).await;
    let (lon, lat) = near_bardo_boundary(&db).await;
    let moved = submit_at(&srv, "Éclairage de l'avenue", [lon, lat]).await;
    let stays = submit_at(&srv, "Éclairage de la médina", TUNIS).await;
    let before = props(&srv, moved).await;
    assert_eq!(before["municipality_code"], "1112", "{before}");
    let other = props(&srv, stays).await;

    // the re-imported boundaries give Tunis (1111) the 400 m around the proposal
    let revised = RevisedBoundaries::write(&db, lon, lat).await;
    revised.import(&db).await;
    let after = props(&srv, moved).await;
    assert_eq!(after["municipality_code"], "1111", "{after}");
    // the tag is the unit the locator answers for its place now (an independent lookup)
    let located: String = db
        .scalar(
            "SELECT u.code FROM admin_unit u WHERE u.level = 'municipality' AND u.valid_to IS NULL
             AND ST_Intersects(u.geom, ST_SetSRID(ST_MakePoint($1, $2), 4326)) ORDER BY u.code COLLATE \"C\" LIMIT 1",
            (lon, lat),
        )
        .await;
    assert_eq!(after["municipality_code"], located.as_str());
    assert_eq!(
        props(&srv, stays).await,
        other,
        "a proposal away from the change keeps its tags"
    );
}
