//! The importer against real PostGIS, with real files (the shared Tunisian data, and files written
//! in the test with ogr2ogr).
mod common;

use std::{path::Path, process::Command, time::Instant};

use clap::Parser;
use mokhattat::import::{self, ImportArgs, ImportError, Progress, Summary};
use sqlx::PgPool;

#[derive(Parser)]
#[command(no_binary_name = true)]
struct Cli {
    #[command(flatten)]
    args: ImportArgs,
}

fn args(list: &[&str]) -> ImportArgs {
    Cli::try_parse_from(list)
        .expect("valid import arguments")
        .args
}

async fn try_import(pool: &PgPool, list: &[&str]) -> Result<Summary, ImportError> {
    import::run(pool, &args(list), Progress::Hidden).await
}

async fn import(pool: &PgPool, list: &[&str]) -> Summary {
    try_import(pool, list).await.expect("import succeeds")
}

fn data(rel: &str) -> String {
    common::root()
        .join("../shared/data")
        .join(rel)
        .to_string_lossy()
        .into_owned()
}

fn ogr2ogr(list: &[&str]) {
    let out = Command::new("ogr2ogr")
        .args(list)
        .output()
        .expect("run ogr2ogr (gdal-bin)");
    assert!(
        out.status.success(),
        "ogr2ogr {list:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir_in(common::tmp_dir()).unwrap()
}

fn p(dir: &Path, name: &str) -> String {
    dir.join(name).to_string_lossy().into_owned()
}

const MUNI_FIELDS: &[&str] = &[
    "--as",
    "municipalities",
    "--field",
    "code=id_mun_official",
    "--field",
    "name_ar=name_ar_official",
    "--field",
    "name_fr=name_fr_official",
    "--field",
    "name_en=mun_en",
    "--field",
    "parent_code=gov_id",
];

fn with<'a>(path: &'a str, rest: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec![path];
    v.extend_from_slice(rest);
    v
}

/// Row counts and a content checksum of every table the importer writes.
async fn fingerprint(pool: &PgPool) -> Vec<(String, i64, String)> {
    let mut out = Vec::new();
    for t in [
        "admin_unit",
        "population",
        "landuse_layer",
        "landuse_zone",
        "project",
        "project_location",
        "funding_line",
        "project_event",
        "facility",
        "import_run",
    ] {
        let (n, sum): (i64, Option<String>) = sqlx::query_as(&format!(
            "SELECT count(*), md5(string_agg(t::text, '|' ORDER BY t::text)) FROM {t} t"
        ))
        .fetch_one(pool)
        .await
        .unwrap();
        out.push((t.to_string(), n, sum.unwrap_or_default()));
    }
    out
}

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

    let n: i64 =
        sqlx::query_scalar("SELECT count(*) FROM admin_unit_current WHERE level = 'municipality'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(n, 350);
    let (name_fr, parent): (String, String) = sqlx::query_as(
        "SELECT name_fr, parent_code FROM admin_unit_current WHERE level = 'municipality' AND code = '1111'",
    )
    .fetch_one(&db.pool).await.unwrap();
    assert_eq!((name_fr.as_str(), parent.as_str()), ("TUNIS", "11"));
    let area: f64 =
        sqlx::query_scalar("SELECT area_km2 FROM admin_unit_current WHERE code = '1116'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert!((area - 2.2).abs() < 0.1, "Sidi Bou Said area {area}");
    // Unmapped fields are kept in attrs; population rows upserted.
    let (seats, pop): (i64, i64) = sqlx::query_as(
        "SELECT (u.attrs->>'council_seats_2018')::bigint, p.population FROM admin_unit u \
         JOIN population p ON p.level = u.level AND p.code = u.code AND p.year = 2019 WHERE u.code = '1116'",
    )
    .fetch_one(&db.pool).await.unwrap();
    assert_eq!((seats, pop), (12, 7670));
    let pops: i64 = sqlx::query_scalar("SELECT count(*) FROM population WHERE source = 'test'")
        .fetch_one(&db.pool)
        .await
        .unwrap();
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
    let messy: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM admin_unit WHERE name_ar ~ '[\\u06CC\\u06BE\\u06A9\\u200B-\\u200F\\u202A-\\u202E\\u2066-\\u2069\\uFEFF\\u061C]' \
         OR name_ar <> btrim(name_ar) OR name_ar ~ '\\s\\s'",
    )
    .fetch_one(&db.pool).await.unwrap();
    assert_eq!(messy, 0);

    let dir = tmp();
    let file = p(dir.path(), "messy.geojson");
    std::fs::write(&file, r#"{"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"code":"9101","name_ar":"\u202bسيدی  بو\u200e سعيد\u202c","name_fr":" Sidi\u00a0Bou Saïd "},
       "geometry":{"type":"Polygon","coordinates":[[[10.33,36.86],[10.35,36.86],[10.35,36.88],[10.33,36.86]]]}}]}"#).unwrap();
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
    let dir = tmp();
    let src = data("boundaries/municipalities_2018.geojson");
    let gpkg = p(dir.path(), "tunis_22391.gpkg");
    ogr2ogr(&[
        "-f",
        "GPKG",
        "-t_srs",
        "EPSG:22391",
        "-where",
        "gov_id = 11",
        &gpkg,
        &src,
    ]);
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
    let csv = p(dir.path(), "tunis_22391.csv");
    ogr2ogr(&[
        "-f",
        "CSV",
        "-lco",
        "GEOMETRY=AS_WKT",
        "-t_srs",
        "EPSG:22391",
        "-where",
        "gov_id = 11",
        &csv,
        &src,
    ]);
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
    let worst: f64 = sqlx::query_scalar(
        "SELECT max(ST_HausdorffDistance(ST_Transform(a.geom, 22391), ST_Transform(b.geom, 22391))) \
         FROM admin_unit a JOIN admin_unit b ON a.code = b.code AND a.version = 1 AND b.valid_to IS NULL",
    )
    .fetch_one(&db.pool).await.unwrap();
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
    let dir = tmp();
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
    let report: serde_json::Value =
        sqlx::query_scalar("SELECT report FROM import_run WHERE id = $1")
            .bind(s.run_id.unwrap())
            .fetch_one(&db.pool)
            .await
            .unwrap();
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
    import(
        &db.pool,
        &[
            &gov,
            "--as",
            "governorates",
            "--field",
            "code=gov_id",
            "--field",
            "name_en=gov_en",
        ],
    )
    .await;
    let before = fingerprint(&db.pool).await;

    let dir = tmp();
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
    let dir = tmp();
    let gov = data("boundaries/governorates.geojson");
    let base = [
        "--as",
        "governorates",
        "--field",
        "code=gov_id",
        "--field",
        "name_fr=gov_en",
    ];
    import(&db.pool, &with(&gov, &base)).await;

    let changed = p(dir.path(), "tunis_simplified.geojson");
    ogr2ogr(&[
        "-simplify",
        "0.005",
        "-where",
        "gov_id = 11",
        &changed,
        &gov,
    ]);
    let s = import(&db.pool, &with(&changed, &base)).await;
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

    let versions: Vec<(i32, bool)> = sqlx::query_as(
        "SELECT version, valid_to IS NOT NULL FROM admin_unit WHERE level = 'governorate' AND code = '11' ORDER BY version",
    )
    .fetch_all(&db.pool).await.unwrap();
    assert_eq!(versions, vec![(1, true), (2, false)]);
    // The old boundary is still there and still the full-detail one.
    let (old_pts, new_pts): (i32, i32) = sqlx::query_as(
        "SELECT (SELECT ST_NPoints(geom) FROM admin_unit WHERE code = '11' AND version = 1), \
                (SELECT ST_NPoints(geom) FROM admin_unit_current WHERE level = 'governorate' AND code = '11')",
    )
    .fetch_one(&db.pool).await.unwrap();
    assert!(old_pts > new_pts, "{old_pts} vs {new_pts}");
    let current: i64 =
        sqlx::query_scalar("SELECT count(*) FROM admin_unit_current WHERE level = 'governorate'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(current, 24);

    // Same geometry, other names: updated in place, no new version.
    let renamed = [
        "--as",
        "governorates",
        "--field",
        "code=gov_id",
        "--field",
        "name_fr=gov_ar",
    ];
    let s = import(&db.pool, &with(&changed, &renamed)).await;
    assert_eq!((s.updated, s.inserted), (1, 0), "{s}");
    let (version, name): (i32, String) = sqlx::query_as(
        "SELECT version, name_fr FROM admin_unit_current WHERE level = 'governorate' AND code = '11'",
    )
    .fetch_one(&db.pool).await.unwrap();
    assert_eq!((version, name.as_str()), (2, "تونس"));
}

#[tokio::test]
async fn csv_with_lon_lat_and_csv_with_wkt() {
    let db = common::empty_db().await;
    let dir = tmp();
    let points = p(dir.path(), "facilities.csv");
    std::fs::write(
        &points,
        "id,kind,subtype,name,longitude,latitude\n\
         osm:node/1,school,primary,Ecole de la Marsa,10.3247,36.8782\n\
         osm:node/2,health,pharmacy,صيدلية,10.1815,36.8065\n\
         osm:node/3,bank,,Banque,10.18,36.80\n",
    )
    .unwrap();
    let s = import(&db.pool, &[&points, "--as", "facilities"]).await;
    assert_eq!((s.read, s.inserted, s.rejected), (3, 2, 1), "{s}");
    assert!(s.rejections[0].reason.contains("kind \"bank\""), "{s}");
    let (x, y): (f64, f64) = sqlx::query_as(
        "SELECT ST_X(geom), ST_Y(geom) FROM facility WHERE source_id = 'osm:node/1'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!((x, y), (10.3247, 36.8782));
    let attrs: serde_json::Value =
        sqlx::query_scalar("SELECT attrs FROM facility WHERE source_id = 'osm:node/1'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(
        attrs,
        serde_json::json!({}),
        "lon/lat columns are geometry, not attributes"
    );

    let wkt = p(dir.path(), "ariana.csv");
    ogr2ogr(&[
        "-f",
        "CSV",
        "-lco",
        "GEOMETRY=AS_WKT",
        "-where",
        "gov_id = 12",
        &wkt,
        &data("boundaries/municipalities_2018.geojson"),
    ]);
    let s = import(&db.pool, &with(&wkt, MUNI_FIELDS)).await;
    assert!(s.read > 0 && s.inserted == s.read && s.rejected == 0, "{s}");
    let parents: Vec<String> = sqlx::query_scalar("SELECT DISTINCT parent_code FROM admin_unit")
        .fetch_all(&db.pool)
        .await
        .unwrap();
    assert_eq!(parents, vec!["12".to_string()]);
}

#[tokio::test]
async fn geopackage_shapefile_flatgeobuf_and_kml() {
    let db = common::empty_db().await;
    let dir = tmp();
    let src = data("boundaries/municipalities_2018.geojson");
    // A GeoPackage with two layers: --layer picks one; without it the error lists them.
    let gpkg = p(dir.path(), "two.gpkg");
    ogr2ogr(&[
        "-f",
        "GPKG",
        "-nln",
        "nabeul",
        "-where",
        "gov_id = 15",
        &gpkg,
        &src,
    ]);
    ogr2ogr(&[
        "-f",
        "GPKG",
        "-update",
        "-nln",
        "sousse",
        "-where",
        "gov_id = 51",
        &gpkg,
        &src,
    ]);
    let err = try_import(&db.pool, &with(&gpkg, MUNI_FIELDS))
        .await
        .unwrap_err();
    assert!(
        matches!(err, ImportError::AmbiguousLayer { .. }) && err.to_string().contains("sousse"),
        "{err}"
    );
    let mut list = with(&gpkg, MUNI_FIELDS);
    list.extend(["--layer", "sousse"]);
    let s = import(&db.pool, &list).await;
    assert!(s.inserted > 10 && s.rejected == 0, "{s}");

    // A Shapefile (10-character field names, so renamed to the canonical names in the file).
    let shp = p(dir.path(), "nabeul.shp");
    ogr2ogr(&["-f", "ESRI Shapefile", "-lco", "ENCODING=UTF-8", "-sql",
        "SELECT id_mun_official AS code, name_ar_official AS name_ar, name_fr_official AS name_fr, gov_id AS parent_code FROM TN_municipalities_2018_enriched WHERE gov_id = 15",
        &shp, &src]);
    let s = import(&db.pool, &[&shp, "--as", "municipalities"]).await;
    assert!(s.inserted > 10 && s.rejected == 0, "{s}");
    let name: String = sqlx::query_scalar("SELECT name_ar FROM admin_unit WHERE code = '1511'")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert!(
        name.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
        "{name}"
    );

    // Facilities as GeoJSON, then the same as FlatGeobuf (all unchanged) and as KML.
    let fac = p(dir.path(), "fac.geojson");
    ogr2ogr(&["-dialect", "sqlite", "-sql",
        "SELECT 'osm:node/' || osm_node_id AS id, CASE value WHEN 'school' THEN 'school' WHEN 'post_office' THEN 'post' ELSE 'health' END AS kind, value AS subtype, name, geometry FROM tn_osm_poi_2019 WHERE value IN ('school', 'pharmacy', 'post_office') LIMIT 300",
        &fac, &data("facilities/osm_poi_2019.geojson")]);
    let s = import(&db.pool, &[&fac, "--as", "facilities", "--source", "osm"]).await;
    assert_eq!((s.read, s.inserted), (300, 300), "{s}");
    let fgb = p(dir.path(), "fac.fgb");
    ogr2ogr(&["-f", "FlatGeobuf", &fgb, &fac]);
    let s = import(&db.pool, &[&fgb, "--as", "facilities", "--source", "osm"]).await;
    assert_eq!((s.read, s.unchanged), (300, 300), "{s}");
    let kml = p(dir.path(), "fac.kml");
    ogr2ogr(&["-f", "LIBKML", &kml, &fac]);
    let s = import(&db.pool, &[&kml, "--as", "facilities", "--source", "osm"]).await;
    assert_eq!((s.read, s.inserted, s.rejected), (300, 0, 0), "{s}");
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM facility")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(n, 300);
}

#[tokio::test]
async fn dry_run_writes_nothing() {
    let db = common::empty_db().await;
    let before = fingerprint(&db.pool).await;
    let gov = data("boundaries/governorates.geojson");
    let s = import(
        &db.pool,
        &[
            &gov,
            "--as",
            "governorates",
            "--field",
            "code=gov_id",
            "--dry-run",
        ],
    )
    .await;
    assert_eq!((s.inserted, s.dry_run), (24, true));
    assert_eq!(fingerprint(&db.pool).await, before);
}

#[tokio::test]
async fn bad_arguments_are_explained() {
    let db = common::empty_db().await;
    let gov = data("boundaries/governorates.geojson");
    let err = try_import(
        &db.pool,
        &[&gov, "--as", "governorates", "--field", "code=nope"],
    )
    .await
    .unwrap_err();
    assert!(
        err.to_string().contains("gov_id"),
        "lists the file's fields: {err}"
    );
    let err = try_import(
        &db.pool,
        &[&gov, "--as", "governorates", "--field", "kode=gov_id"],
    )
    .await
    .unwrap_err();
    assert!(
        err.to_string().contains("parent_code"),
        "lists the canonical fields: {err}"
    );
    let err = try_import(&db.pool, &[&gov, "--as", "landuse"])
        .await
        .unwrap_err();
    assert!(err.to_string().contains("--landuse-slug"), "{err}");
    let err = try_import(
        &db.pool,
        &["/nonexistent/x.geojson", "--as", "governorates"],
    )
    .await
    .unwrap_err();
    assert!(matches!(err, ImportError::NotFound { .. }), "{err}");
    let err = try_import(
        &db.pool,
        &[&gov, "--as", "governorates", "--where", "no_such_field = 1"],
    )
    .await
    .unwrap_err();
    assert!(matches!(err, ImportError::BadWhere { .. }), "{err}");
}

#[tokio::test]
async fn landuse_layers_zones_and_versions() {
    let db = common::empty_db().await;
    let file = data("boundaries/municipal_perimeters_2014.geojson");
    let base = [
        "--as",
        "landuse",
        "--landuse-slug",
        "perimetres-2014",
        "--landuse-kind",
        "perimeter",
        "--field",
        "id=mun_id",
        "--field",
        "municipality_code=mun_id",
        "--field",
        "label_ar=mun_ar",
        "--field",
        "label_fr=mun_en",
        "--default",
        "class=urban_perimeter_2014",
        "--default",
        "zone_code=PC2014",
    ];
    let s = import(&db.pool, &with(&file, &base)).await;
    assert_eq!((s.read, s.inserted + s.rejected), (264, 264), "{s}");
    let zones = s.inserted;
    let again = import(&db.pool, &with(&file, &base)).await;
    assert_eq!(
        (again.inserted, again.updated, again.unchanged),
        (0, 0, zones),
        "{again}"
    );

    // Filling in the approval date of a layer that had none is not a new version…
    let mut dated = with(&file, &base);
    dated.extend(["--approved-on", "2014-05-01"]);
    let s = import(&db.pool, &dated).await;
    assert_eq!((s.inserted, s.unchanged), (0, zones), "{s}");
    // …a different approval date is: version 2, with its own zones; version 1 is kept.
    let mut revised = with(&file, &base);
    revised.extend([
        "--approved-on",
        "2016-01-01",
        "--landuse-name",
        "Périmètres révisés",
    ]);
    let s = import(&db.pool, &revised).await;
    assert_eq!(s.inserted, zones, "{s}");
    let layers: Vec<(i32, Option<chrono::NaiveDate>, String, String, i64)> = sqlx::query_as(
        "SELECT l.version, l.approved_on, l.name, l.kind, count(z.id) FROM landuse_layer l \
         LEFT JOIN landuse_zone z ON z.layer_id = l.id WHERE l.slug = 'perimetres-2014' GROUP BY l.id ORDER BY l.version",
    )
    .fetch_all(&db.pool).await.unwrap();
    assert_eq!(layers.len(), 2);
    assert_eq!(layers[0].1, chrono::NaiveDate::from_ymd_opt(2014, 5, 1));
    assert_eq!(
        (layers[1].0, layers[1].2.as_str(), layers[1].3.as_str()),
        (2, "Périmètres révisés", "perimeter")
    );
    assert_eq!((layers[0].4, layers[1].4), (zones as i64, zones as i64));
    let muni: String = sqlx::query_scalar(
        "SELECT municipality_code FROM landuse_zone WHERE source_id = '1111' LIMIT 1",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(muni, "1111");

    // A class outside the national classes is rejected, naming the allowed ones.
    let dir = tmp();
    let one = p(dir.path(), "one.geojson");
    ogr2ogr(&["-where", "mun_id = '1116'", &one, &file]);
    let s = import(
        &db.pool,
        &[
            &one,
            "--as",
            "landuse",
            "--landuse-slug",
            "pau-x",
            "--default",
            "class=UA",
            "--default",
            "zone_code=UA",
        ],
    )
    .await;
    assert_eq!(s.rejected, 1, "{s}");
    assert!(
        s.rejections[0]
            .reason
            .contains("\"ua\" is not a land-use class")
            && s.rejections[0].reason.contains("residential"),
        "{s}"
    );
}

const WB_SQL: &str = "SELECT project_id AS code, project_name AS title_en, \
    CASE status WHEN 'Active' THEN 'works_under_way' ELSE 'completed' END AS status, \
    boardapprovaldate AS planned_start, closingdate AS planned_end, major_sectors AS theme, \
    geo_loc_id AS location_id, geo_loc_name AS place_name, \
    CASE WHEN geo_loc_name = 'Republic of Tunisia' THEN 'national' \
         WHEN geo_loc_name LIKE 'Gouvernorat%' THEN 'governorate' ELSE 'exact' END AS precision, \
    'donor_loan' AS funding_kind, 'World Bank' AS funder, curr_total_commitment AS funding_amount, \
    'USD' AS funding_currency, curr_total_commitment * 3 AS funding_amount_tnd, lendinginstr, geometry \
    FROM wb_tunisia_project_locations_2025";

#[tokio::test]
async fn projects_locations_funding_and_events() {
    let db = common::empty_db().await;
    let dir = tmp();
    let file = p(dir.path(), "wb.geojson");
    ogr2ogr(&[
        "-dialect",
        "sqlite",
        "-sql",
        WB_SQL,
        &file,
        &data("projects/world_bank_locations_2025.geojson"),
    ]);
    let s = import(
        &db.pool,
        &[&file, "--as", "projects", "--source", "World Bank"],
    )
    .await;
    assert_eq!((s.read, s.inserted, s.rejected), (419, 417, 2), "{s}");
    assert!(
        s.rejections
            .iter()
            .all(|r| r.reason.contains("duplicate project location")),
        "{s}"
    );
    let counts: (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM project), (SELECT count(*) FROM project_location), \
                (SELECT count(*) FROM funding_line), (SELECT count(*) FROM project_event WHERE kind = 'imported')",
    )
    .fetch_one(&db.pool).await.unwrap();
    // Two projects have no commitment in the source: no funding line, said in the notes.
    assert_eq!(counts, (62, 417, 60, 62));
    assert_eq!(
        s.notes
            .iter()
            .filter(|n| n.contains("funding line skipped"))
            .count(),
        10,
        "{s}"
    );
    let (title, status, start, precision, attrs): (String, String, chrono::NaiveDate, String, serde_json::Value) =
        sqlx::query_as(
            "SELECT p.title_en, p.status, p.planned_start, l.precision, p.attrs FROM project p \
             JOIN project_location l ON l.project_id = p.id WHERE p.code = 'P048825' AND l.place_name = 'Bardo Museum'",
        )
        .fetch_one(&db.pool).await.unwrap();
    assert_eq!(
        (title.as_str(), status.as_str(), precision.as_str()),
        ("TN-Cultural Heritage", "completed", "exact")
    );
    assert_eq!(start, chrono::NaiveDate::from_ymd_opt(2001, 6, 12).unwrap());
    assert_eq!(attrs["lendinginstr"], "Investment Project Financing");
    let national: i64 =
        sqlx::query_scalar("SELECT count(*) FROM project_location WHERE precision = 'national'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(national, 20);

    let again = import(
        &db.pool,
        &[&file, "--as", "projects", "--source", "World Bank"],
    )
    .await;
    assert_eq!(
        (again.inserted, again.updated, again.unchanged),
        (0, 0, 417),
        "{again}"
    );
    let events: i64 = sqlx::query_scalar("SELECT count(*) FROM project_event")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(events, 62);

    // One project changes status and title; a feature with an unknown status is rejected.
    let change = p(dir.path(), "change.geojson");
    std::fs::write(&change, r#"{"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"code":"P048825","title_en":"Cultural Heritage","status":"suspended","location_id":"7870313"},
       "geometry":{"type":"Point","coordinates":[10.1347,36.8093]}},
      {"type":"Feature","properties":{"code":"PX","status":"dreaming","location_id":"1"},
       "geometry":{"type":"Point","coordinates":[10.0,36.0]}}]}"#).unwrap();
    let s = import(
        &db.pool,
        &[&change, "--as", "projects", "--source", "World Bank"],
    )
    .await;
    assert_eq!((s.updated, s.rejected), (1, 1), "{s}");
    assert!(
        s.rejections[0].reason.contains("status \"dreaming\""),
        "{s}"
    );
    let (title, theme, revision): (String, Option<String>, i32) =
        sqlx::query_as("SELECT title_en, theme, revision FROM project WHERE code = 'P048825'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(title, "Cultural Heritage");
    assert!(theme.is_some(), "fields the file does not map are kept");
    assert_eq!(revision, 2);
    let (from, to, kind): (Option<String>, Option<String>, String) = sqlx::query_as(
        "SELECT from_status, to_status, kind FROM project_event WHERE project_code = 'P048825' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&db.pool).await.unwrap();
    assert_eq!(
        (from.as_deref(), to.as_deref(), kind.as_str()),
        (Some("completed"), Some("suspended"), "imported")
    );
}

#[tokio::test]
async fn sample_manifest_rolls_back_as_a_whole() {
    let db = common::empty_db().await;
    let dir = tmp();
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
    let runs: i64 = sqlx::query_scalar("SELECT count(*) FROM import_run")
        .fetch_one(&db.pool)
        .await
        .unwrap();
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

    let levels: Vec<(String, i64)> = sqlx::query_as(
        "SELECT level, count(*) FROM admin_unit_current GROUP BY level ORDER BY level",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
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
