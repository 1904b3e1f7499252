//! End-to-end: the real `mokhattat` binary, driven by real clients — GDAL's OAPIF driver
//! (`ogrinfo`, `ogr2ogr`), headless QGIS 3.22 (`OAPIF` provider, Debian's python3-qgis) and
//! schemathesis (from PyPI, installed by `tests/e2e_features/setup.sh`). Every test fails on an
//! unexpected WARN or ERROR line in the server log (checked by the harness at drop).
use crate::common;

use std::{
    collections::{BTreeMap, BTreeSet, HashMap},
    process::Command,
};

use serde_json::Value;

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("run {cmd:?}: {e}"));
    common::ok_stdout(&out)
}

async fn items_requests(srv: &common::ServerProcess) -> u64 {
    let text = common::http::get_text(srv.url("/metrics")).await;
    text.lines()
        .filter(|l| {
            l.starts_with("mokhattat_http_requests_total")
                && l.contains("route=\"/collections/{id}/items\"")
        })
        .filter_map(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
        .sum()
}

#[tokio::test]
async fn ogrinfo_lists_collections_with_exact_counts() {
    let (db, srv) = common::sample_process().await;
    let out =
        run(Command::new("ogrinfo").args(["-ro", "-so", "-al", &format!("OAPIF:{}", srv.base)]));
    let mut counts: BTreeMap<String, i64> = BTreeMap::new();
    let mut layer = String::new();
    for line in out.lines() {
        if let Some(n) = line.strip_prefix("Layer name: ") {
            layer = n.trim().to_string();
        }
        if let Some(c) = line.strip_prefix("Feature Count: ") {
            counts.insert(layer.clone(), c.trim().parse().unwrap());
        }
    }
    let units = |level: &str| {
        format!("SELECT count(*) FROM admin_unit WHERE valid_to IS NULL AND level = '{level}'")
    };
    let mut expected: BTreeMap<String, i64> = BTreeMap::new();
    for (layer, sql) in [
        ("municipalities", units("municipality")),
        ("delegations", units("delegation")),
        ("governorates", units("governorate")),
        ("landuse", "SELECT count(*) FROM landuse_zone".into()),
        (
            "projects",
            "SELECT count(*) FROM project WHERE is_public".into(),
        ),
        ("facilities", "SELECT count(*) FROM facility".into()),
        ("indicators-municipalities", units("municipality")),
        ("indicators-delegations", units("delegation")),
        ("indicators-governorates", units("governorate")),
        (
            "conformity",
            "SELECT count(*) FROM project_conformity_layer WHERE is_public".into(),
        ),
        ("plans", "SELECT count(*) FROM plan".into()),
        (
            "participation-zones",
            "SELECT count(*) FROM participation_zone".into(),
        ),
        (
            "proposals",
            "SELECT count(*) FROM proposal WHERE NOT hidden AND NOT awaiting_moderation".into(),
        ),
        ("meetings", "SELECT count(*) FROM meeting".into()),
    ] {
        expected.insert(layer.to_string(), db.scalar(&sql, ()).await);
    }
    assert_eq!(counts, expected, "{out}");
    assert_eq!(counts["municipalities"], 350);
    assert_eq!(counts["governorates"], 24);
    assert!(out.contains("Geometry: Multi Polygon"));
    srv.finish();
}

#[tokio::test]
async fn ogr2ogr_copies_all_projects_through_pages_in_epsg_22391() {
    let (db, srv) = common::sample_process().await;
    let before = items_requests(&srv).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("projects.gpkg");
    // GDAL 3.6 has no CRS open option: the connection URL carries `crs=`, which GDAL repeats on
    // every request (the server accepts it on the metadata endpoints too), and -a_srs labels it.
    let url = format!(
        "OAPIF:{}/collections/projects?crs=http://www.opengis.net/def/crs/EPSG/0/22391",
        srv.base
    );
    run(Command::new("ogr2ogr")
        .args(["-f", "GPKG"])
        .arg(&out)
        .arg(&url)
        .args([
            "-oo",
            "PAGE_SIZE=10",
            "-a_srs",
            "EPSG:22391",
            "-nln",
            "projects",
        ]));
    let pages = items_requests(&srv).await - before;
    let total: i64 = db.scalar("SELECT count(*) FROM project", ()).await;
    assert!(
        pages as i64 >= total / 10,
        "only {pages} item requests for {total} projects"
    );
    // every project, with coordinates equal to PostGIS's own transformation of its locations
    let expected: HashMap<String, (f64, f64)> = db.rows::<(String, f64, f64)>("SELECT p.code, ST_X(g), ST_Y(g) FROM project p CROSS JOIN LATERAL (SELECT ST_Transform(l.geom, 22391) g FROM project_location l \
         WHERE l.project_id = p.id ORDER BY l.id LIMIT 1) s", ()).await
    .into_iter()
    .map(|(c, x, y)| (c, (x, y)))
    .collect();
    use gdal::vector::LayerAccess;
    let ds = gdal::Dataset::open(&out).unwrap();
    let mut layer = ds.layer_by_name("projects").unwrap();
    assert_eq!(layer.feature_count() as i64, total);
    assert_eq!(layer.spatial_ref().unwrap().auth_code().unwrap(), 22391);
    let mut seen = BTreeSet::new();
    for f in layer.features() {
        let code = f
            .field_as_string(f.field_index("code").unwrap())
            .unwrap()
            .unwrap();
        let g = f.geometry().unwrap();
        let first = g.get_geometry(0);
        let (x, y, _) = first.get_point(0);
        let (ex, ey) = expected[&code];
        assert!(
            (x - ex).abs() < 0.05 && (y - ey).abs() < 0.05,
            "{code}: ({x}, {y}) vs ({ex}, {ey})"
        );
        seen.insert(code);
    }
    assert_eq!(seen.len() as i64, total);
    srv.finish();
}

fn qgis(base: &str, collection: &str, page: u32) -> (Vec<Value>, Value) {
    let script = common::root().join("tests/e2e_features/qgis_oapif.py");
    let out = run(Command::new("/usr/bin/python3")
        .arg(script)
        .args([base, collection, &page.to_string()])
        .env("QT_QPA_PLATFORM", "offscreen")
        .env_remove("PYTHONPATH")
        .env_remove("PYTHONHOME"));
    let mut lines: Vec<Value> = out
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let summary = lines.pop().expect("summary line")["summary"].clone();
    (lines, summary)
}

/// [`qgis`] on the server's `collection` (pages of `page`), off the async runtime: QGIS must
/// find the layer valid.
async fn qgis_valid(
    srv: &common::ServerProcess,
    collection: &'static str,
    page: u32,
) -> (Vec<Value>, Value) {
    let base = srv.base.clone();
    let (features, summary) = tokio::task::spawn_blocking(move || qgis(&base, collection, page))
        .await
        .unwrap();
    assert_eq!(summary["valid"], true, "{collection}: {summary}");
    (features, summary)
}

#[tokio::test]
async fn qgis_3_22_loads_municipalities_and_projects() {
    let (_db, srv) = common::sample_process().await;
    let (features, summary) = qgis_valid(&srv, "municipalities", 50).await;
    assert_eq!(summary["geometry_type"], "MultiPolygon");
    let raw = common::sample_json("municipalities.geojson");
    let raw: HashMap<String, Value> = common::items(&raw["features"])
        .map(|f| {
            (
                f["properties"]["code"].as_str().unwrap().to_string(),
                f["properties"].clone(),
            )
        })
        .collect();
    assert_eq!(features.len(), raw.len());
    let mut codes = BTreeSet::new();
    for f in &features {
        let a = &f["attributes"];
        let code = a["code"].as_str().unwrap();
        let r = &raw[code];
        assert_eq!(a["name_fr"], r["name_fr"], "{code}");
        assert_eq!(a["name_ar"], r["name_ar"], "{code}");
        assert_eq!(a["population"], r["population"], "{code}");
        assert_eq!(f["geometry_type"], "MultiPolygon");
        codes.insert(code.to_string());
    }
    assert_eq!(codes.len(), raw.len(), "every municipality once");
    let (features, _) = qgis_valid(&srv, "projects", 20).await;
    let raw = common::sample_json("projects.geojson");
    let mut titles: HashMap<String, Value> = HashMap::new();
    for f in raw["features"].as_array().unwrap() {
        titles
            .entry(f["properties"]["code"].as_str().unwrap().to_string())
            .or_insert(f["properties"]["title_en"].clone());
    }
    assert_eq!(features.len(), titles.len());
    for f in &features {
        let a = &f["attributes"];
        let code = a["code"].as_str().unwrap();
        assert_eq!(a["title_en"], titles[code], "{code}");
        assert_eq!(a["partner"], "world-bank");
        assert_eq!(f["geometry_type"], "MultiPoint");
    }
    srv.finish();
}

#[tokio::test]
async fn qgis_3_22_loads_proposals_and_participation_zones() {
    let db = common::sample_db().await;
    db.exec("INSERT INTO participation_zone (municipality_code, code, name_fr, name_ar, population, geom) VALUES
         ('1111', 'Z1', 'Médina', 'المدينة', 1000, ST_Multi(ST_MakeEnvelope(10.160, 36.790, 10.180, 36.810, 4326))),
         ('1111', 'Z2', 'Bab Bhar', 'باب بحر', 3000, ST_Multi(ST_MakeEnvelope(10.180, 36.790, 10.200, 36.810, 4326)))", ()).await;
    let srv = common::ServerProcess::on(&db).await;
    let client = reqwest::Client::new();
    for i in 0..5 {
        let r = client
            .post(srv.url("/api/participation/proposals"))
            .json(&serde_json::json!({
                "geometry": {"type": "Point", "coordinates": [10.165 + 0.007 * f64::from(i), 36.8]},
                "theme": "waste", "lang": "ar", "title": format!("حاويات {i}"), "body": "نحتاج حاويات",
                "author_contact": "secret@example.tn"
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
    }
    // one hidden by a moderator: not public, so not in QGIS
    db.exec(
        "UPDATE proposal SET hidden = true WHERE id = (SELECT max(id) FROM proposal)",
        (),
    )
    .await;
    let public: i64 = db
        .scalar(
            "SELECT count(*) FROM proposal WHERE NOT hidden AND NOT awaiting_moderation",
            (),
        )
        .await;
    assert_eq!(public, 4);
    // a page of 3: QGIS must follow `next`
    let (features, summary) = qgis_valid(&srv, "proposals", 3).await;
    assert_eq!(features.len() as i64, public, "{summary}");
    let mut zones = BTreeSet::new();
    for f in &features {
        let a = &f["attributes"];
        assert_eq!(a["state"], "published");
        assert_eq!(a["municipality_code"], "1111");
        assert!(!a.to_string().contains("secret@example.tn"));
        zones.insert(a["zone_code"].as_str().unwrap_or("none").to_string());
    }
    assert_eq!(zones, BTreeSet::from(["Z1".to_string(), "Z2".to_string()]));
    let (features, summary) = qgis_valid(&srv, "participation-zones", 50).await;
    assert_eq!(summary["geometry_type"], "MultiPolygon");
    let names: BTreeSet<String> = features
        .iter()
        .map(|f| f["attributes"]["name_ar"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        names,
        BTreeSet::from(["المدينة".to_string(), "باب بحر".to_string()])
    );
    srv.finish();
}

#[tokio::test]
async fn schemathesis_finds_no_server_error_nor_schema_violation() {
    let root = common::root();
    let st = root.join("target/e2e-venv/bin/schemathesis");
    if !st.exists() {
        run(Command::new("bash").arg(root.join("tests/e2e_features/setup.sh")));
    }
    let db = common::sample_db().await;
    let admin = common::named_key(&db, "schemathesis", "admin", &[], None).await;
    let srv = common::ServerProcess::on(&db).await;
    let api = srv.url("/api");
    let report = tempfile::tempdir().unwrap();
    // The whole document: OGC API – Features and Tiles, the planning, participation, key and
    // service endpoints (every route, tests/it/api_doc.rs). Five examples per operation keep the
    // run to a few minutes. With an admin key the write operations are exercised too. The checks: no 5xx, documented
    // status codes, content types, headers and response schemas, Allow headers, and no write
    // accepted without a key. (`negative_data_rejection` is left out on purpose: a `limit` above
    // the advertised maximum is clamped, as OGC API – Features requires, not rejected.)
    // The admin key goes through the document's `bearer` scheme (not a global header): then the
    // `ignored_auth` check's request carries only the invalid key it generates, which must be
    // refused, instead of also carrying a valid X-API-Key that the server would read next.
    let config = report.path().join("schemathesis.toml");
    std::fs::write(
        &config,
        format!("[auth.openapi.bearer]\nbearer = \"{admin}\"\n"),
    )
    .unwrap();
    let out = tokio::task::spawn_blocking(move || {
        Command::new(st)
            .arg("--config-file")
            .arg(&config)
            .args(["run", &api, "--checks"])
            .arg("not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,allow_header_conformance,ignored_auth")
            .args(["-n", "5", "--seed", "1", "--workers", "1", "--no-color", "--request-timeout", "30"])
            .arg("--report-dir")
            .arg(report.path())
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let text = common::ok_stdout(&out);
    assert!(text.contains("passed"), "{text}");
    srv.finish();
}
