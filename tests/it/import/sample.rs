//! The sample manifest: all-or-nothing, and the full sample.
use super::*;

#[tokio::test]
async fn sample_manifest_rolls_back_as_a_whole() {
    let db = common::empty_db().await;
    let dir = common::scratch("import-");
    std::fs::copy(
        data("boundaries/governorates.geojson"),
        dir.path().join("gov.geojson"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("broken.geojson"),
        "{\"type\": \"FeatureCollection\", \"features\": [",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("manifest.json"),
        r#"{"imports": [
            {"args": ["gov.geojson", "--as", "governorates", "--field", "code=gov_id"]},
            {"args": ["broken.geojson", "--as", "municipalities"]}]}"#,
    )
    .unwrap();
    let before = fingerprint(&db.pool).await;
    let err = import::load_sample_if_empty(&db.pool, dir.path())
        .await
        .unwrap_err();
    assert!(format!("{err:#}").contains("broken.geojson"), "{err:#}");
    assert_eq!(fingerprint(&db.pool).await, before);

    // Fixed manifest: loads; a second call sees units and does nothing.
    std::fs::write(
        dir.path().join("manifest.json"),
        r#"{"imports": [{"args": ["gov.geojson", "--as", "governorates", "--field", "code=gov_id"]}]}"#,
    )
    .unwrap();
    import::load_sample_if_empty(&db.pool, dir.path())
        .await
        .unwrap();
    import::load_sample_if_empty(&db.pool, dir.path())
        .await
        .unwrap();
    let runs: i64 = db.scalar("SELECT count(*) FROM import_run", ()).await;
    assert_eq!(runs, 1);
    // No manifest: a warning, not an error.
    import::load_sample_if_empty(&db.pool, &dir.path().join("nowhere"))
        .await
        .unwrap();
}

#[tokio::test]
async fn full_sample_loads_through_the_manifest_and_reloads_unchanged() {
    let db = common::empty_db().await;
    let dir = common::sample_dir();
    assert!(
        dir.join("manifest.json").exists(),
        "sample-data/manifest.json is part of the repository"
    );
    let t = Instant::now();
    import::load_sample_if_empty(&db.pool, &dir)
        .await
        .expect("sample loads");
    let took = t.elapsed();
    println!("full sample loaded in {:.2} s", took.as_secs_f64());

    let levels: Vec<(String, i64)> = db
        .rows(
            "SELECT level, count(*) FROM admin_unit_current GROUP BY level ORDER BY level",
            (),
        )
        .await;
    assert_eq!(
        levels,
        vec![
            ("delegation".into(), 274),
            ("governorate".into(), 24),
            ("municipality".into(), 350)
        ]
    );
    let (tunis, sbs): (String, f64) = sqlx::query_as(
        "SELECT (SELECT name_fr FROM admin_unit_current WHERE level = 'municipality' AND code = '1111'), \
                (SELECT area_km2 FROM admin_unit_current WHERE level = 'municipality' AND code = '1116')",
    )
    .fetch_one(&db.pool).await.unwrap();
    assert!(tunis.to_lowercase().contains("tunis"), "{tunis}");
    assert!((sbs - 2.2).abs() < 0.1, "{sbs}");
    let counts: (i64, i64, i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM population WHERE year = 2019), (SELECT count(*) FROM landuse_zone), \
                (SELECT count(*) FROM facility), (SELECT count(*) FROM project), \
                (SELECT count(*) FROM project_location), (SELECT count(*) FROM import_run)",
    )
    .fetch_one(&db.pool).await.unwrap();
    println!("population rows, zones, facilities, projects, locations, runs: {counts:?}");
    assert!(
        counts.0 >= 648 && counts.1 > 500 && counts.2 > 1000,
        "{counts:?}"
    );
    assert_eq!((counts.3, counts.4, counts.5), (62, 417, 6));

    // Every entry re-imported on top: nothing inserted or updated.
    for args in import::parse_manifest(&dir).unwrap() {
        let s = import::run(&db.pool, &args, Progress::Hidden)
            .await
            .unwrap();
        assert_eq!((s.inserted, s.updated), (0, 0), "{s}");
        assert_eq!(s.unchanged + s.rejected, s.read, "{s}");
    }
}
