//! The importer never loses or invents data: multipart units, re-imports that keep what the file
//! does not carry, ragged and truncated files, all-rejected runs, value mapping, date formats,
//! precision defaults, overlaps and area changes, a foreign coding. Fixtures are written in the
//! test from the sample's real municipality boundaries.
use serde_json::{json, Value};

use super::*;

/// The sample's municipalities of one governorate (parent_code), as GeoJSON features.
fn sample_munis(gov: &str) -> Vec<Value> {
    let path = common::sample_dir().join("municipalities.geojson");
    let fc: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    common::items(&fc["features"])
        .filter(|f| f["properties"]["parent_code"] == gov)
        .cloned()
        .collect()
}

/// The sample municipalities of `gov`, written to `name` in `dir` and imported: (features, path).
async fn units_imported(
    db: &common::TestDb,
    dir: &tempfile::TempDir,
    gov: &str,
    name: &str,
) -> (Vec<Value>, String) {
    let features = sample_munis(gov);
    let path = write_fc(dir.path(), name, &features);
    import(&db.pool, &with(&path, UNITS)).await;
    (features, path)
}

fn write_fc(dir: &Path, name: &str, features: &[Value]) -> String {
    let path = p(dir, name);
    // One feature per line, as the sample is written.
    let lines: Vec<String> = features.iter().map(|f| f.to_string()).collect();
    let text = format!(
        "{{\"type\":\"FeatureCollection\",\"features\":[\n{}\n]}}\n",
        lines.join(",\n")
    );
    std::fs::write(&path, text).unwrap();
    path
}

/// (Re)write `name` in `dir` with `text` and import it `--as` `target`.
async fn reimport(
    db: &common::TestDb,
    dir: &tempfile::TempDir,
    name: &str,
    target: &str,
    text: &str,
) {
    let path = file(dir, name, text);
    import(&db.pool, &[&path, "--as", target]).await;
}

const UNITS: &[&str] = &["--as", "municipalities", "--source", "fixture"];

async fn scalar_f64(pool: &PgPool, sql: &str) -> f64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

/// Tunis (1111) cut into two overlapping halves by PostGIS (boxes sharing a strip 0.002° wide).
async fn halves(pool: &PgPool, feature: &Value) -> Vec<Value> {
    let rows: Vec<String> = sqlx::query_scalar(
        "WITH g AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) AS g), \
              b AS (SELECT g, ST_XMin(g) x0, ST_XMax(g) x1, ST_YMin(g) y0, ST_YMax(g) y1, \
                           (ST_XMin(g) + ST_XMax(g)) / 2 AS cx FROM g) \
         SELECT ST_AsGeoJSON(ST_ClipByBox2D(g, ST_MakeEnvelope(x0, y0, cx + 0.001, y1)), 9) FROM b \
         UNION ALL \
         SELECT ST_AsGeoJSON(ST_ClipByBox2D(g, ST_MakeEnvelope(cx - 0.001, y0, x1, y1)), 9) FROM b",
    )
    .bind(feature["geometry"].to_string())
    .fetch_all(pool)
    .await
    .unwrap();
    rows.iter()
        .map(|g| {
            let mut f = feature.clone();
            f["geometry"] = serde_json::from_str(g).unwrap();
            f
        })
        .collect()
}

#[tokio::test]
async fn municipality_in_several_features_is_imported_whole() {
    let db = common::empty_db().await;
    let dir = common::scratch("import-");
    let mut features = sample_munis("11");
    let tunis = features
        .iter()
        .position(|f| f["properties"]["code"] == "1111")
        .unwrap();
    let whole = features.remove(tunis);
    let parts = halves(&db.pool, &whole).await;
    let n_whole = features.len();
    features.extend(parts.iter().cloned());
    let path = write_fc(dir.path(), "split.geojson", &features);

    let s = import(&db.pool, &with(&path, UNITS)).await;
    assert_eq!(s.rejected, 0, "{s}");
    assert_eq!(s.inserted, n_whole + 1, "{s}");
    assert!(s.notes.iter().any(|n| n.contains("1111 (2 parts")), "{s}");
    // One current row for 1111, a MultiPolygon, whose area is the union's, computed independently.
    let (n, kind): (i64, String) = sqlx::query_as(
        "SELECT count(*), min(GeometryType(geom)) FROM admin_unit WHERE code = '1111' AND valid_to IS NULL",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!((n, kind.as_str()), (1, "MULTIPOLYGON"));
    let imported = scalar_f64(
        &db.pool,
        "SELECT ST_Area(geom::geography) FROM admin_unit WHERE code = '1111' AND valid_to IS NULL",
    )
    .await;
    let union: f64 = db.scalar("SELECT ST_Area(ST_Union(ST_SetSRID(ST_GeomFromGeoJSON(g), 4326))::geography) FROM unnest($1::text[]) g", (parts.iter().map(|f| f["geometry"].to_string()).collect::<Vec<_>>(),)).await;
    let half: f64 = db
        .scalar(
            "SELECT ST_Area(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326)::geography)",
            (parts[0]["geometry"].to_string(),),
        )
        .await;
    assert!(
        (imported - union).abs() / union < 1e-6,
        "imported {imported} m², union {union} m²"
    );
    assert!(imported > half * 1.2, "more than one part was kept");
    // Re-importing the same split file changes nothing.
    let again = import(&db.pool, &with(&path, UNITS)).await;
    assert_eq!((again.inserted, again.updated), (0, 0), "{again}");
}

#[tokio::test]
async fn reimport_keeps_fields_the_file_does_not_map() {
    let db = common::empty_db().await;
    let dir = common::scratch("import-");
    let (features, _) = units_imported(&db, &dir, "12", "full.geojson").await;
    let names = |pool: PgPool| async move {
        sqlx::query_as::<_, (String, Option<String>, Option<String>, Option<i64>)>(
            "SELECT code, name_fr, name_ar, (attrs->>'km2')::float::bigint FROM admin_unit \
             WHERE valid_to IS NULL ORDER BY code",
        )
        .fetch_all(&pool)
        .await
        .unwrap()
    };
    let before = names(db.pool.clone()).await;
    assert!(before.iter().all(|r| r.1.is_some() && r.2.is_some()));

    // Only code and geometry; one boundary moved (a new version) and the others identical.
    let mut bare: Vec<Value> = features
        .iter()
        .map(|f| json!({"type": "Feature", "properties": {"code": f["properties"]["code"], "km2": f["properties"]["km2"]}, "geometry": f["geometry"]}))
        .collect();
    let moved = bare[0]["properties"]["code"].as_str().unwrap().to_string();
    let shifted: String = db.scalar("SELECT ST_AsGeoJSON(ST_Translate(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326), 0.0005, 0), 9)", (bare[0]["geometry"].to_string(),)).await;
    bare[0]["geometry"] = serde_json::from_str(&shifted).unwrap();
    let path = write_fc(dir.path(), "bare.geojson", &bare);
    let s = import(
        &db.pool,
        &with(
            &path,
            &[
                "--as",
                "municipalities",
                "--source",
                "fixture",
                "--no-auto-fields",
                "--field",
                "code=code",
            ],
        ),
    )
    .await;
    assert_eq!(s.rejected, 0, "{s}");
    let after = names(db.pool.clone()).await;
    assert_eq!(
        before, after,
        "names kept, in place and in the new version of {moved}"
    );
    let version: i32 = db
        .scalar(
            "SELECT version FROM admin_unit WHERE code = $1 AND valid_to IS NULL",
            (&moved,),
        )
        .await;
    assert_eq!(version, 2);
    // The attrs the first file carried are still there (council seats were not in the second).
    let seats: i64 = db.scalar("SELECT count(*) FROM admin_unit WHERE valid_to IS NULL AND attrs ? 'council_seats_2018'", ()).await;
    assert_eq!(seats as usize, features.len());

    // Facilities too: a re-import without names keeps them.
    for text in [
        "id,kind,name_fr,lon,lat\nosm:1,school,École A,10.1,36.8\n",
        "id,kind,lon,lat\nosm:1,school,10.1,36.8\n",
    ] {
        reimport(&db, &dir, "fac.csv", "facilities", text).await;
    }
    let name: Option<String> = db
        .scalar("SELECT name_fr FROM facility WHERE source_id = 'osm:1'", ())
        .await;
    assert_eq!(name.as_deref(), Some("École A"));

    // Projects: a location's precision is kept when the file has no precision column.
    for text in [
        "code,location_id,title_fr,precision,lon,lat\nP1,a,Route,approximate,10.1,36.8\n",
        "code,location_id,lon,lat\nP1,a,10.1,36.8\n",
    ] {
        reimport(&db, &dir, "p.csv", "projects", text).await;
    }
    let (title, precision): (Option<String>, String) = sqlx::query_as(
        "SELECT p.title_fr, l.precision FROM project p JOIN project_location l ON l.project_id = p.id WHERE p.code = 'P1'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(
        (title.as_deref(), precision.as_str()),
        (Some("Route"), "approximate")
    );
}

#[tokio::test]
async fn truncated_or_ragged_files_change_nothing() {
    let db = common::empty_db().await;
    let dir = common::scratch("import-");
    let (_, good) = units_imported(&db, &dir, "13", "good.geojson").await;
    let prj = file(
        &dir,
        "p.csv",
        "code,location_id,title_fr,lon,lat\nP1,a,Route,10.1,36.8\n",
    );
    import(&db.pool, &[&prj, "--as", "projects"]).await;
    let before = fingerprint(&db.pool).await;

    // GeoJSON cut in the middle of its fourth feature.
    let text = std::fs::read_to_string(&good).unwrap();
    let fourth = text
        .match_indices("{\"type\":\"Feature\"")
        .nth(3)
        .unwrap()
        .0;
    let cut = p(dir.path(), "cut.geojson");
    std::fs::write(&cut, &text[..fourth + 500]).unwrap();
    let e = try_import(&db.pool, &with(&cut, UNITS)).await.unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("line 5"), "names the line: {msg}");

    // CSV: a row with a field missing, a row with one too many, a row cut inside a quote.
    for (name, body, line) in [
        ("short.csv", "code,location_id,title_fr,lon,lat\nP2,a,Pont,10.1,36.8\nP3,b,Port,10.2\nP4,c,Gare,10.3,36.7\n", 3),
        ("long.csv", "code,location_id,title_fr,lon,lat\nP2,a,Pont,10.1,36.8\nP3,b,Port,x,10.2,36.7\n", 3),
        ("cut.csv", "code,location_id,title_fr,lon,lat\nP2,a,Pont,10.1,36.8\nP3,b,\"Port de", 3),
    ] {
        let path = p(dir.path(), name);
        std::fs::write(&path, body).unwrap();
        let e = try_import(&db.pool, &[&path, "--as", "projects"]).await.unwrap_err();
        assert!(matches!(e, ImportError::Malformed { .. }), "{name}: {e}");
        assert!(e.to_string().contains(&format!("line {line}")), "{name}: {e}");
    }
    assert_eq!(
        before,
        fingerprint(&db.pool).await,
        "nothing written, not even a run"
    );
}

#[tokio::test]
async fn all_rejected_run_exits_non_zero() {
    let (db, _dir, path) =
        empty_db_with_file("nocode.csv", "name,lon,lat\nA,10.1,36.8\nB,10.2,36.7\n").await;
    let out = common::cli(&db, &["import", &path, "--as", "projects"]).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("rejected 2"),
        "the summary is printed: {stdout}"
    );
    assert!(stderr.contains("all 2 features were rejected"), "{stderr}");
    // A run that imports something succeeds.
    std::fs::write(&path, "code,lon,lat\nP1,10.1,36.8\n,10.2,36.7\n").unwrap();
    let out = common::cli(&db, &["import", &path, "--as", "projects"]).await;
    common::ok_stdout(&out);
}

#[tokio::test]
async fn coded_values_dates_and_precision_defaults() {
    let (db, dir, path) = empty_db_with_file(
        "coded.csv",
        "code,location_id,prec,etat,debut,lon,lat\n\
         P1,a,1,En cours,6/12/2001,10.1,36.8\n\
         P1,b,2,En cours,6/12/2001,10.2,36.7\n\
         P2,a,3,Clôturé,28/2/2019,10.3,36.6\n",
    )
    .await;
    let s = import(
        &db.pool,
        &[
            &path,
            "--as",
            "projects",
            "--field",
            "precision=prec",
            "--field",
            "status=etat",
            "--field",
            "planned_start=debut",
            "--map",
            "precision=1:exact,2:approximate,3:municipality",
            "--map",
            "status=En cours:works_under_way,Clôturé:completed",
            "--date-format",
            "%d/%m/%Y",
        ],
    )
    .await;
    assert_eq!((s.inserted, s.rejected), (3, 0), "{s}");
    let rows: Vec<(String, String, String, String, String)> = db.rows("SELECT p.code, l.source_id, l.precision, p.status, p.planned_start::text FROM project p \
         JOIN project_location l ON l.project_id = p.id ORDER BY 1, 2", ()).await;
    let r = |a: &str, b: &str, c: &str, d: &str, e: &str| {
        (
            a.to_string(),
            b.to_string(),
            c.to_string(),
            d.to_string(),
            e.to_string(),
        )
    };
    assert_eq!(
        rows,
        vec![
            r("P1", "a", "exact", "works_under_way", "2001-12-06"),
            r("P1", "b", "approximate", "works_under_way", "2001-12-06"),
            r("P2", "a", "municipality", "completed", "2019-02-28"),
        ]
    );
    // Without --date-format the unpadded date is refused with a hint, not guessed.
    let s = import(
        &db.pool,
        &[&path, "--as", "projects", "--field", "planned_start=debut"],
    )
    .await;
    assert_eq!(s.rejected, 3, "{s}");
    assert!(s.rejections[0].reason.contains("--date-format"), "{s}");

    // No precision column: a warning with the count; country-level rows without coordinates are
    // national locations.
    let path = file(&dir, "noprec.csv", "code,location_id,place_name,lon,lat\nP3,a,Tunis,10.1,36.8\nP3,b,Sfax,10.7,34.7\nP3,c,Republic of Tunisia,,\n");
    let s = import(&db.pool, &[&path, "--as", "projects"]).await;
    assert_eq!((s.inserted, s.rejected), (3, 0), "{s}");
    assert!(
        s.notes
            .iter()
            .any(|n| n.contains("no precision column: its 2 locations were imported as exact")),
        "{s}"
    );
    let national: String = db
        .scalar(
            "SELECT l.precision FROM project_location l JOIN project p ON p.id = l.project_id \
         WHERE p.code = 'P3' AND l.source_id = 'c'",
            (),
        )
        .await;
    assert_eq!(national, "national");
}

#[tokio::test]
async fn unit_import_reports_overlaps_area_changes_and_foreign_codes() {
    let db = common::empty_db().await;
    let dir = common::scratch("import-");
    let mut features = sample_munis("11");
    let path = write_fc(dir.path(), "v1.geojson", &features);
    let s = import(&db.pool, &with(&path, UNITS)).await;
    assert!(
        s.overlaps.is_empty(),
        "the sample does not overlap: {:?}",
        s.overlaps
    );

    // Grow Tunis by ~500 m into its neighbours.
    let i = features
        .iter()
        .position(|f| f["properties"]["code"] == "1111")
        .unwrap();
    let grown: String = db
        .scalar(
            "SELECT ST_AsGeoJSON(ST_Buffer(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326), 0.005), 9)",
            (features[i]["geometry"].to_string(),),
        )
        .await;
    features[i]["geometry"] = serde_json::from_str(&grown).unwrap();
    let path = write_fc(dir.path(), "v2.geojson", &features);
    let s = import(&db.pool, &with(&path, UNITS)).await;
    assert_eq!(s.updated, 1, "{s}");
    assert!(!s.overlaps.is_empty(), "{s}");
    assert!(
        s.overlaps
            .iter()
            .all(|(a, b, km2)| (a == "1111" || b == "1111") && *km2 > 0.0),
        "{:?}",
        s.overlaps
    );
    let neighbours_km2: f64 = s.overlaps.iter().map(|o| o.2).sum();
    let (code, lost, gained) = s.area_changes[0].clone();
    assert_eq!((code.as_str(), s.area_changes.len()), ("1111", 1));
    let expected_gain = scalar_f64(
        &db.pool,
        "SELECT ST_Area(ST_Difference(n.geom, o.geom)::geography) / 1e6 FROM admin_unit n \
         JOIN admin_unit o ON o.code = n.code AND o.version = 1 WHERE n.code = '1111' AND n.version = 2",
    )
    .await;
    assert!(
        lost < 0.01 && (gained - expected_gain).abs() < 1e-6,
        "lost {lost}, gained {gained} vs {expected_gain}"
    );
    assert!(
        neighbours_km2 > 0.5 && neighbours_km2 <= gained + 1e-6,
        "{neighbours_km2} of {gained}"
    );
    assert!(s.notes.iter().any(|n| n.contains("1111 lost")), "{s}");
    assert!(
        s.notes
            .iter()
            .any(|n| n.contains("1111 and") || n.contains("and 1111 by")),
        "{s}"
    );

    // A file in another coding: stops, nothing written, then accepted with --new-codes.
    let before = fingerprint(&db.pool).await;
    for f in &mut features {
        let c = f["properties"]["code"].as_str().unwrap().to_string();
        f["properties"]["code"] = json!(format!("TN-{c}"));
    }
    let path = write_fc(dir.path(), "recoded.geojson", &features);
    let e = try_import(&db.pool, &with(&path, UNITS)).await.unwrap_err();
    assert!(e.to_string().contains("--new-codes"), "{e}");
    assert_eq!(before, fingerprint(&db.pool).await);
    let mut list = with(&path, UNITS);
    list.push("--new-codes");
    let s = import(&db.pool, &list).await;
    assert_eq!(s.inserted, features.len(), "{s}");
}
