//! Units from real boundary files: field mapping, Arabic names, reprojection, repair and rejection,
//! rollback, versions.
use super::*;

#[tokio::test]
async fn municipalities_with_field_mapping_and_idempotent_rerun() {
    let db = common::empty_db().await;
    let path = data("boundaries/municipalities_2018.geojson");
    let mut list = with(&path, MUNI_FIELDS);
    list.extend([
        "--field",
        "population=pop_2019_est",
        "--default",
        "population_year=2019",
        "--source",
        "test",
    ]);
    let t = Instant::now();
    let s = import(&db.pool, &list).await;
    println!(
        "municipalities: {} ({:.2} s)",
        s.line(),
        t.elapsed().as_secs_f64()
    );
    assert_eq!(
        (s.read, s.inserted, s.updated, s.rejected),
        (350, 350, 0, 0),
        "{s}"
    );

    let n: i64 = db
        .scalar(
            "SELECT count(*) FROM admin_unit_current WHERE level = 'municipality'",
            (),
        )
        .await;
    assert_eq!(n, 350);
    let (name_fr, parent): (String, String) = sqlx::query_as(
        "SELECT name_fr, parent_code FROM admin_unit_current WHERE level = 'municipality' AND code = '1111'",
    )
    .fetch_one(&db.pool).await.unwrap();
    assert_eq!((name_fr.as_str(), parent.as_str()), ("TUNIS", "11"));
    let area: f64 = db
        .scalar(
            "SELECT area_km2 FROM admin_unit_current WHERE code = '1116'",
            (),
        )
        .await;
    assert!((area - 2.2).abs() < 0.1, "Sidi Bou Said area {area}");
    // Unmapped fields are kept in attrs; population rows upserted.
    let (seats, pop): (i64, i64) = sqlx::query_as(
        "SELECT (u.attrs->>'council_seats_2018')::bigint, p.population FROM admin_unit u \
         JOIN population p ON p.level = u.level AND p.code = u.code AND p.year = 2019 WHERE u.code = '1116'",
    )
    .fetch_one(&db.pool).await.unwrap();
    assert_eq!((seats, pop), (12, 7670));
    let pops: i64 = db
        .scalar("SELECT count(*) FROM population WHERE source = 'test'", ())
        .await;
    assert_eq!(pops, 350);

    let before = fingerprint(&db.pool).await;
    let again = import(&db.pool, &list).await;
    assert_eq!(
        (again.inserted, again.updated, again.unchanged),
        (0, 0, 350),
        "{again}"
    );
    let after = fingerprint(&db.pool).await;
    // Only the import_run log grows.
    assert_eq!(before[..9], after[..9]);
    assert_eq!(after[9].1, before[9].1 + 1);
}

#[tokio::test]
async fn arabic_names_are_normalised() {
    let db = common::empty_db().await;
    // The real file: mun_ar holds Persian letter forms and bidi marks in about a third of the values.
    let path = data("boundaries/municipalities_2018.geojson");
    let list = with(
        &path,
        &[
            "--as",
            "municipalities",
            "--field",
            "code=id_mun_official",
            "--field",
            "name_ar=mun_ar",
        ],
    );
    import(&db.pool, &list).await;
    let messy: i64 = db.scalar("SELECT count(*) FROM admin_unit WHERE name_ar ~ '[\\u06CC\\u06BE\\u06A9\\u200B-\\u200F\\u202A-\\u202E\\u2066-\\u2069\\uFEFF\\u061C]' \
         OR name_ar <> btrim(name_ar) OR name_ar ~ '\\s\\s'", ()).await;
    assert_eq!(messy, 0);

    let dir = common::scratch("import-");
    let file = file(
        &dir,
        "messy.geojson",
        r#"{"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"code":"9101","name_ar":"\u202bسيدی  بو\u200e سعيد\u202c","name_fr":" Sidi\u00a0Bou Saïd "},
       "geometry":{"type":"Polygon","coordinates":[[[10.33,36.86],[10.35,36.86],[10.35,36.88],[10.33,36.86]]]}}]}"#,
    );
    import(&db.pool, &[&file, "--as", "municipalities"]).await;
    let (ar, fr): (String, String) =
        sqlx::query_as("SELECT name_ar, name_fr FROM admin_unit WHERE code = '9101'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(ar, "سيدي بو سعيد");
    assert_eq!(fr, "Sidi Bou Saïd");
}

#[tokio::test]
async fn reprojected_file_lands_within_a_metre() {
    let db = common::empty_db().await;
    let dir = common::scratch("import-");
    let src = data("boundaries/municipalities_2018.geojson");
    let gpkg = municipalities_as(
        &dir,
        "tunis_22391.gpkg",
        "GPKG",
        "11",
        &["-t_srs", "EPSG:22391"],
    );
    let s = import(&db.pool, &with(&gpkg, MUNI_FIELDS)).await;
    assert_eq!((s.read, s.inserted), (8, 8), "{s}");
    assert!(s.crs.contains("22391"), "{}", s.crs);

    // Compare with the original geometries, parsed by PostGIS straight from the source file.
    let original: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&src).unwrap()).unwrap();
    let mut checked = 0;
    for f in original["features"].as_array().unwrap() {
        if f["properties"]["gov_id"] != 11 {
            continue;
        }
        let code = f["properties"]["id_mun_official"].to_string();
        let d: f64 = sqlx::query_scalar(
            "SELECT ST_HausdorffDistance(ST_Transform(u.geom, 22391), \
                    ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON($2), 4326), 22391)) \
             FROM admin_unit_current u WHERE u.code = $1",
        )
        .bind(&code)
        .bind(f["geometry"].to_string())
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert!(d < 1.0, "{code}: {d} m away from the original");
        checked += 1;
    }
    assert_eq!(checked, 8);

    // The same coordinates without any CRS: a clear error, then --src-crs makes it work.
    let csv = municipalities_as(
        &dir,
        "tunis_22391.csv",
        "CSV",
        "11",
        &["-lco", "GEOMETRY=AS_WKT", "-t_srs", "EPSG:22391"],
    );
    let err = try_import(&db.pool, &with(&csv, MUNI_FIELDS))
        .await
        .unwrap_err();
    assert!(matches!(err, ImportError::MissingCrs { .. }), "{err}");
    assert!(err.to_string().contains("--src-crs"), "{err}");
    let mut list = with(&csv, MUNI_FIELDS);
    list.extend(["--src-crs", "EPSG:22391"]);
    let s = import(&db.pool, &list).await;
    // Same features, geometry reprojected twice: the boundaries differ by far less than a metre,
    // but not bit for bit, so they are new versions.
    assert_eq!(s.read, 8, "{s}");
    let worst: f64 = db.scalar("SELECT max(ST_HausdorffDistance(ST_Transform(a.geom, 22391), ST_Transform(b.geom, 22391))) \
         FROM admin_unit a JOIN admin_unit b ON a.code = b.code AND a.version = 1 AND b.valid_to IS NULL", ()).await;
    assert!(worst < 1.0, "{worst}");
}

const BROKEN: &str = r#"{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"code":"9001","name_fr":"bow tie"},
  "geometry":{"type":"Polygon","coordinates":[[[10.0,36.0],[10.1,36.1],[10.1,36.0],[10.0,36.1],[10.0,36.0]]]}},
 {"type":"Feature","properties":{"code":"9002","name_fr":"a road"},
  "geometry":{"type":"LineString","coordinates":[[10.0,36.0],[10.1,36.1]]}},
 {"type":"Feature","properties":{"name_fr":"no code"},
  "geometry":{"type":"Polygon","coordinates":[[[10.2,36.0],[10.3,36.0],[10.3,36.1],[10.2,36.0]]]}},
 {"type":"Feature","properties":{"code":"9004","name_fr":"flat"},
  "geometry":{"type":"Polygon","coordinates":[[[10.0,36.0],[10.1,36.1],[10.2,36.2],[10.0,36.0]]]}},
 {"type":"Feature","properties":{"code":"9005","name_fr":"nothing"},"geometry":null},
 {"type":"Feature","properties":{"code":"9006","name_fr":"fine"},
  "geometry":{"type":"Polygon","coordinates":[[[10.4,36.0],[10.5,36.0],[10.5,36.1],[10.4,36.0]]]}}
]}"#;

#[tokio::test]
async fn invalid_geometries_are_repaired_or_rejected_with_id_and_reason() {
    let db = common::empty_db().await;
    let dir = common::scratch("import-");
    let file = p(dir.path(), "broken.geojson");
    std::fs::write(&file, BROKEN).unwrap();
    let s = import(&db.pool, &[&file, "--as", "municipalities"]).await;
    println!("{s}");
    assert_eq!(
        (s.read, s.inserted, s.repaired, s.rejected),
        (6, 2, 1, 4),
        "{s}"
    );
    let repair = &s.repairs[0];
    assert_eq!((repair.id.as_deref(), repair.fid), (Some("9001"), Some(0)));
    assert!(
        repair.reason.contains("Self-intersection"),
        "{}",
        repair.reason
    );
    let reason = |id: Option<&str>| {
        s.rejections
            .iter()
            .find(|i| i.id.as_deref() == id)
            .map(|i| i.reason.clone())
            .unwrap_or_default()
    };
    assert!(
        reason(Some("9002")).contains("wrong geometry type LineString"),
        "{s}"
    );
    assert!(reason(None).contains("missing code"), "{s}");
    assert!(
        s.rejections
            .iter()
            .any(|i| i.id.is_none() && i.fid == Some(2)),
        "{s}"
    );
    assert!(reason(Some("9004")).contains("cannot be repaired"), "{s}");
    assert!(reason(Some("9005")).contains("no geometry"), "{s}");

    let (valid, parts, kind): (bool, i32, String) = sqlx::query_as(
        "SELECT ST_IsValid(geom), ST_NumGeometries(geom), GeometryType(geom) FROM admin_unit WHERE code = '9001'",
    )
    .fetch_one(&db.pool).await.unwrap();
    assert_eq!((valid, parts, kind.as_str()), (true, 2, "MULTIPOLYGON"));
    // Every repair and rejection is kept in the run's report.
    let report: serde_json::Value = db
        .scalar(
            "SELECT report FROM import_run WHERE id = $1",
            (s.run_id.unwrap(),),
        )
        .await;
    let kinds: Vec<&str> = report
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["kind"].as_str())
        .collect();
    assert_eq!(kinds.iter().filter(|k| **k == "repaired").count(), 1);
    assert_eq!(kinds.iter().filter(|k| **k == "rejected").count(), 4);
}

#[tokio::test]
async fn corrupt_file_or_failure_midway_leaves_the_database_unchanged() {
    let db = common::empty_db().await;
    let gov = data("boundaries/governorates.geojson");
    import(&db.pool, &gov_args(&gov, &["--field", "name_en=gov_en"])).await;
    let before = fingerprint(&db.pool).await;

    let dir = common::scratch("import-");
    let file = p(dir.path(), "truncated.geojson");
    let full = std::fs::read(data("boundaries/municipalities_2018.geojson")).unwrap();
    std::fs::write(&file, &full[..full.len() / 2]).unwrap();
    let err = try_import(&db.pool, &with(&file, MUNI_FIELDS))
        .await
        .unwrap_err();
    assert!(matches!(err, ImportError::Open { .. }), "{err}");
    assert!(err.to_string().contains("truncated.geojson"), "{err}");
    assert_eq!(fingerprint(&db.pool).await, before);

    // A Shapefile cut short: the error comes while reading, still before anything is written.
    let shp = p(dir.path(), "cut.shp");
    ogr2ogr(&[
        "-f",
        "ESRI Shapefile",
        "-sql",
        "SELECT gov_id AS code FROM TN_governorates_derived",
        &shp,
        &gov,
    ]);
    let bytes = std::fs::read(&shp).unwrap();
    std::fs::write(&shp, &bytes[..bytes.len() / 2]).unwrap();
    let err = try_import(&db.pool, &[&shp, "--as", "governorates"])
        .await
        .unwrap_err();
    assert!(
        matches!(err, ImportError::Read { .. }) && err.to_string().contains("cut.shp"),
        "{err}"
    );
    assert_eq!(fingerprint(&db.pool).await, before);

    // A database failure after part of the rows were written: everything is rolled back.
    sqlx::raw_sql(
        "CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
           IF NEW.code = '1116' THEN RAISE EXCEPTION 'refusing Sidi Bou Said'; END IF; RETURN NEW; END $$; \
         CREATE TRIGGER boom BEFORE INSERT ON admin_unit FOR EACH ROW EXECUTE FUNCTION boom();",
    )
    .execute(&db.pool).await.unwrap();
    let err = try_import(
        &db.pool,
        &with(&data("boundaries/municipalities_2018.geojson"), MUNI_FIELDS),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, ImportError::Database(_)), "{err}");
    assert_eq!(fingerprint(&db.pool).await, before);
}

#[tokio::test]
async fn changed_boundary_makes_a_new_version_and_keeps_the_old_one() {
    let db = common::empty_db().await;
    let dir = common::scratch("import-");
    let gov = data("boundaries/governorates.geojson");
    let base = ["--field", "name_fr=gov_en"];
    import(&db.pool, &gov_args(&gov, &base)).await;

    let changed = p(dir.path(), "tunis_simplified.geojson");
    ogr2ogr(&[
        "-simplify",
        "0.005",
        "-where",
        "gov_id = 11",
        &changed,
        &gov,
    ]);
    let s = import(&db.pool, &gov_args(&changed, &base)).await;
    assert_eq!(
        (s.read, s.inserted, s.updated, s.unchanged),
        (1, 0, 1, 0),
        "{s}"
    );
    assert!(
        s.notes
            .iter()
            .any(|n| n.contains("23 current governorate units are not in this file")),
        "{s}"
    );

    let versions: Vec<(i32, bool)> = db.rows("SELECT version, valid_to IS NOT NULL FROM admin_unit WHERE level = 'governorate' AND code = '11' ORDER BY version", ()).await;
    assert_eq!(versions, vec![(1, true), (2, false)]);
    // The old boundary is still there and still the full-detail one.
    let (old_pts, new_pts): (i32, i32) = sqlx::query_as(
        "SELECT (SELECT ST_NPoints(geom) FROM admin_unit WHERE code = '11' AND version = 1), \
                (SELECT ST_NPoints(geom) FROM admin_unit_current WHERE level = 'governorate' AND code = '11')",
    )
    .fetch_one(&db.pool).await.unwrap();
    assert!(old_pts > new_pts, "{old_pts} vs {new_pts}");
    let current: i64 = db
        .scalar(
            "SELECT count(*) FROM admin_unit_current WHERE level = 'governorate'",
            (),
        )
        .await;
    assert_eq!(current, 24);

    // Same geometry, other names: updated in place, no new version.
    let renamed = ["--field", "name_fr=gov_ar"];
    let s = import(&db.pool, &gov_args(&changed, &renamed)).await;
    assert_eq!((s.updated, s.inserted), (1, 0), "{s}");
    let (version, name): (i32, String) = sqlx::query_as(
        "SELECT version, name_fr FROM admin_unit_current WHERE level = 'governorate' AND code = '11'",
    )
    .fetch_one(&db.pool).await.unwrap();
    assert_eq!((version, name.as_str()), (2, "تونس"));
}
