//! The gazetteer on the real sample data: locate, name search, unit detail, versions.
use crate::common;

use serde_json::Value;

fn levels(body: &Value) -> Vec<(String, String)> {
    body["units"]
        .as_array()
        .expect("units array")
        .iter()
        .map(|u| {
            (
                u["level"].as_str().unwrap().to_string(),
                u["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn code_of(body: &Value, level: &str) -> Option<String> {
    levels(body)
        .into_iter()
        .find(|(l, _)| l == level)
        .map(|(_, c)| c)
}

/// `n` reproducible points over Tunisia's bounding box (land and sea alike).
fn random_points(mut seed: u64, n: usize) -> Vec<(f64, f64)> {
    let mut next = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..n)
        .map(|_| (7.5 + next() * 4.1, 30.2 + next() * 7.2))
        .collect()
}

#[tokio::test]
async fn locate_inside_tunis() {
    let (_db, srv) = common::sample_server().await;
    let (status, body) = srv.get_json("/api/locate?lon=10.1815&lat=36.8065").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["lon"], 10.1815);
    let got = levels(&body);
    let order: Vec<&str> = got.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(
        order,
        ["governorate", "delegation", "municipality"],
        "{body}"
    );
    assert_eq!(code_of(&body, "governorate").as_deref(), Some("11"));
    assert_eq!(code_of(&body, "municipality").as_deref(), Some("1111"));
    let delegation = code_of(&body, "delegation").unwrap();
    assert!(delegation.starts_with("11"), "delegation {delegation}");
    let m = &body["units"][2];
    assert_eq!(m["name_ar"], "تونس العاصمة");
    assert_eq!(m["parent_code"], "11");
    assert_eq!(m["version"], 1);
}

#[tokio::test]
async fn locate_on_a_shared_boundary_is_deterministic() {
    let db = common::sample_db().await;
    // A vertex of Tunis (1111) that lies exactly on a neighbouring municipality too.
    let (lon, lat): (f64, f64) = sqlx::query_as(
        "SELECT ST_X(p.geom), ST_Y(p.geom)
           FROM admin_unit a, LATERAL ST_DumpPoints(a.geom) p, admin_unit b
          WHERE a.level = 'municipality' AND a.code = '1111' AND a.valid_to IS NULL
            AND b.level = 'municipality' AND b.code <> '1111' AND b.valid_to IS NULL
            AND ST_Intersects(b.geom, p.geom)
          ORDER BY p.path LIMIT 1",
    )
    .fetch_one(&db.pool)
    .await
    .expect("Tunis shares a vertex with a neighbour");
    let on_edge: Vec<String> = sqlx::query_scalar(
        "SELECT code FROM admin_unit WHERE level = 'municipality' AND valid_to IS NULL
            AND ST_Intersects(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326)) ORDER BY code COLLATE \"C\"",
    )
    .bind(lon)
    .bind(lat)
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert!(
        on_edge.len() >= 2,
        "the point is on a shared edge: {on_edge:?}"
    );

    let srv = common::serve(db.pool.clone()).await;
    let path = format!("/api/locate?lon={lon}&lat={lat}");
    let (status, first) = srv.get_json(&path).await;
    assert_eq!(status, 200, "{first}");
    let got = levels(&first);
    let mut seen: Vec<&str> = got.iter().map(|(l, _)| l.as_str()).collect();
    seen.dedup();
    assert_eq!(seen.len(), got.len(), "one unit per level: {first}");
    // The stated rule: the lowest code among the units touching the point.
    assert_eq!(code_of(&first, "municipality"), Some(on_edge[0].clone()));
    for _ in 0..20 {
        let (status, again) = srv.get_json(&path).await;
        assert_eq!(status, 200);
        assert_eq!(levels(&again), got);
    }
}

#[tokio::test]
async fn locate_offshore_and_bad_parameters() {
    let (_db, srv) = common::sample_server().await;
    let (status, body) = srv.get_json("/api/locate?lon=11.5&lat=37.5").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["units"], serde_json::json!([]));
    for (query, says) in [
        ("", "missing parameter 'lon'"),
        ("?lon=10.2", "missing parameter 'lat'"),
        ("?lon=abc&lat=36.8", "not a number"),
        ("?lon=10,2&lat=36.8", "not a number"),
        ("?lon=10.2&lat=95", "between -90 and 90"),
        ("?lon=-200&lat=36.8", "between -180 and 180"),
        ("?lon=10.2&lat=36.8&at=last-year", "ISO 8601"),
    ] {
        let (status, body) = srv.get_json(&format!("/api/locate{query}")).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(body["code"], "InvalidParameterValue");
        let d = body["description"].as_str().unwrap();
        assert!(d.contains(says), "{query}: {d}");
    }
}

async fn search_first(srv: &common::TestServer, q: &str, level: Option<&str>) -> Value {
    let mut url = reqwest::Url::parse(&srv.url("/api/units")).unwrap();
    url.query_pairs_mut().append_pair("q", q);
    if let Some(l) = level {
        url.query_pairs_mut().append_pair("level", l);
    }
    let r = srv.client.get(url).send().await.unwrap();
    assert_eq!(r.status(), 200, "search {q}");
    let body: Value = r.json().await.unwrap();
    assert!(
        !body["results"].as_array().unwrap().is_empty(),
        "nothing found for {q}: {body}"
    );
    body["results"][0].clone()
}

#[tokio::test]
async fn search_tolerates_arabic_variants_accents_and_case() {
    let (_db, srv) = common::sample_server().await;
    // Persian yeh (U+06CC) everywhere and a right-to-left mark (U+200F) inside.
    let messy = "\u{633}\u{6cc}\u{62f}\u{6cc}\u{200f} \u{628}\u{648}\u{633}\u{639}\u{6cc}\u{62f}";
    for (q, level) in [
        (messy, None),
        ("سيدي بوسعيد", Some("municipality")),
        ("sidi bou said", None),
        ("SIDI BOU SAÏD", None),
        ("Sidi-Bou-Saïd", Some("municipality")),
        ("bou said", None),
        ("sidi bou sayd", None), // a typo: the fuzzy fallback
    ] {
        let hit = search_first(&srv, q, level).await;
        assert_eq!(hit["code"], "1116", "{q}: {hit}");
        assert_eq!(hit["level"], "municipality");
        assert_eq!(hit["parent_code"], "11");
        assert!(hit["score"].as_f64().unwrap() > 0.0);
    }
    // English names: "Tunis Ville" is the English name of 1111 only; "El Kram" (fr "Le Kram").
    let hit = search_first(&srv, "tunis ville", None).await;
    assert_eq!(hit["code"], "1111", "{hit}");
    let hit = search_first(&srv, "el kram", Some("municipality")).await;
    assert_eq!(hit["code"], "1113", "{hit}");
    let hit = search_first(&srv, "تونس", Some("governorate")).await;
    assert_eq!(hit["code"], "11", "{hit}");
}

#[tokio::test]
async fn search_parameters_are_checked() {
    let (_db, srv) = common::sample_server().await;
    let (status, body) = srv.get_json("/api/units?q=").await;
    assert_eq!(status, 400, "{body}");
    assert!(body["description"].as_str().unwrap().contains("'q'"));
    let (status, body) = srv.get_json("/api/units?q=tunis&level=commune").await;
    assert_eq!(status, 400, "{body}");
    let d = body["description"].as_str().unwrap();
    assert!(
        d.contains("governorate") && d.contains("delegation") && d.contains("municipality"),
        "{d}"
    );
    let (status, body) = srv.get_json("/api/units?q=tunis&limit=zero").await;
    assert_eq!(status, 400, "{body}");
    // LIKE metacharacters are literal: '%' matches no name.
    let (status, body) = srv.get_json("/api/units?q=%25%25a").await;
    assert_eq!(status, 200, "{body}");
    assert!(body["results"].as_array().unwrap().is_empty(), "{body}");
    let (status, body) = srv.get_json("/api/units?q=sidi&limit=3").await;
    assert_eq!(status, 200);
    assert_eq!(body["results"].as_array().unwrap().len(), 3, "{body}");
}

#[tokio::test]
async fn unit_detail() {
    let (_db, srv) = common::sample_server().await;
    let (status, u) = srv.get_json("/api/units/municipality/1116").await;
    assert_eq!(status, 200, "{u}");
    assert_eq!(u["name_fr"], "Sidi Bou Said");
    let area = u["area_km2"].as_f64().unwrap();
    assert!(
        (area - 2.2).abs() < 0.2,
        "Sidi Bou Said is about 2.2 km²: {area}"
    );
    assert_eq!(u["parent"]["level"], "governorate");
    assert_eq!(u["parent"]["code"], "11");
    let pops = u["population"].as_array().unwrap();
    assert!(
        pops.iter()
            .any(|p| p["year"] == 2019 && p["population"].as_i64().unwrap() > 1000),
        "{pops:?}"
    );
    assert_eq!(u["versions"].as_array().unwrap().len(), 1);
    assert_eq!(u["geometry"]["type"], "MultiPolygon");
    assert_eq!(u["bbox"].as_array().unwrap().len(), 4);

    let (status, body) = srv.get_json("/api/units/municipality/9999").await;
    assert_eq!(status, 404, "{body}");
    assert!(body["description"].as_str().unwrap().contains("9999"));
    let (status, body) = srv.get_json("/api/units/commune/1116").await;
    assert_eq!(status, 404, "{body}");
    assert!(body["description"]
        .as_str()
        .unwrap()
        .contains("municipality"));
}

#[tokio::test]
async fn locate_at_a_past_instant_returns_the_older_version() {
    let db = common::sample_db().await;
    // Make the current boundary of Sidi Bou Said version 1 valid 2019–2022 and add a version 2
    // (slightly larger, renamed) valid since 2022.
    let mut tx = db.pool.begin().await.unwrap();
    sqlx::query(
        "UPDATE admin_unit SET valid_from = '2019-01-01', valid_to = '2022-01-01'
          WHERE level = 'municipality' AND code = '1116' AND valid_to IS NULL",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO admin_unit (level, code, parent_code, name_ar, name_fr, name_en, version, valid_from, source, geom)
         SELECT level, code, parent_code, name_ar, 'Sidi Bou Saïd (2022)', name_en, 2, '2022-01-01', 'test',
                ST_Multi(ST_Buffer(geom, 0.001))
           FROM admin_unit WHERE level = 'municipality' AND code = '1116' AND version = 1",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let (lon, lat): (f64, f64) = sqlx::query_as(
        "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) p FROM admin_unit
          WHERE level = 'municipality' AND code = '1116' AND version = 1) s",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let srv = common::serve(db.pool.clone()).await;
    let municipality = |body: &Value| -> Value {
        common::items(&body["units"])
            .find(|u| u["level"] == "municipality")
            .cloned()
            .unwrap_or(Value::Null)
    };
    let (status, now) = srv
        .get_json(&format!("/api/locate?lon={lon}&lat={lat}"))
        .await;
    assert_eq!(status, 200, "{now}");
    assert_eq!(municipality(&now)["version"], 2, "{now}");
    assert_eq!(municipality(&now)["name_fr"], "Sidi Bou Saïd (2022)");
    for (at, echoed) in [
        // issue 9: a date is the end of that day in Tunisia (docs/dates.md)
        ("2020-06-01", "2020-06-01T22:59:59.999999Z"),
        ("2020-06-01T12:00:00Z", "2020-06-01T12:00:00Z"),
    ] {
        let (status, then) = srv
            .get_json(&format!("/api/locate?lon={lon}&lat={lat}&at={at}"))
            .await;
        assert_eq!(status, 200, "{then}");
        assert_eq!(then["at"], echoed);
        let m = municipality(&then);
        assert_eq!(m["code"], "1116", "{then}");
        assert_eq!(m["version"], 1, "{then}");
        assert_eq!(m["name_fr"], "Sidi Bou Said");
    }
    let (_, before) = srv
        .get_json(&format!("/api/locate?lon={lon}&lat={lat}&at=2010-01-01"))
        .await;
    assert_eq!(municipality(&before), Value::Null, "{before}");
    let (_, detail) = srv.get_json("/api/units/municipality/1116").await;
    assert_eq!(detail["version"], 2);
    assert_eq!(detail["versions"].as_array().unwrap().len(), 2, "{detail}");
}

#[tokio::test]
async fn locate_from_pieces_agrees_with_full_geometries() {
    // The current answer reads the database's subdivided pieces; `at` reads whole geometries.
    // Today every current version is valid, so both must agree everywhere. (Issue 9: `at` follows
    // the one as-of definition, which refuses future dates; this test used 2100-01-01.)
    let (_db, srv) = common::sample_server().await;
    let today = chrono::Utc::now().date_naive();
    let mut inside = 0;
    for (lon, lat) in random_points(42, 60) {
        let (_, now) = srv
            .get_json(&format!("/api/locate?lon={lon}&lat={lat}"))
            .await;
        let (_, then) = srv
            .get_json(&format!("/api/locate?lon={lon}&lat={lat}&at={today}"))
            .await;
        assert_eq!(levels(&now), levels(&then), "{lon} {lat}");
        inside += usize::from(!levels(&now).is_empty());
    }
    assert!(inside > 20, "most points of the box are on land: {inside}");
}

async fn index_ready(index: &mokhattat::territory::UnitIndex) {
    for _ in 0..300 {
        if index.is_ready() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the in-memory locate index was not built within 30 s");
}

#[tokio::test]
async fn in_memory_locate_agrees_with_the_database_and_follows_edits_made_in_sql() {
    use mokhattat::territory::{params::Point, queries, UnitIndex};
    let db = common::sample_db().await;
    let index = UnitIndex::new(&mokhattat::db::replicas::Reads::new(
        db.pool.clone(),
        vec![],
    ));
    index_ready(&index).await;

    // Random points over the country, and every vertex Tunis shares with a neighbour (on the edge:
    // the lowest-code rule must decide the same way in memory as in SQL).
    let mut points = random_points(7, 1500);
    let edge: Vec<(f64, f64)> = db
        .rows(
            "SELECT ST_X(p.geom), ST_Y(p.geom)
           FROM admin_unit a, LATERAL ST_DumpPoints(a.geom) p, admin_unit b
          WHERE a.level = 'municipality' AND a.code = '1111' AND a.valid_to IS NULL
            AND b.level = 'municipality' AND b.code <> '1111' AND b.valid_to IS NULL
            AND ST_Intersects(b.geom, p.geom)",
            (),
        )
        .await;
    assert!(edge.len() > 5, "Tunis shares vertices with its neighbours");
    points.extend(edge);
    let mut on_land = 0;
    for &(lon, lat) in &points {
        let p = Point { lon, lat };
        let memory = serde_json::to_value(index.locate(p).expect("index is current")).unwrap();
        let sql = serde_json::to_value(queries::locate(&db.pool, p, None).await.unwrap()).unwrap();
        assert_eq!(memory, sql, "at {lon} {lat}");
        on_land += usize::from(memory.as_array().is_some_and(|a| !a.is_empty()));
    }
    assert!(on_land > 500, "most points are on land: {on_land}");

    // An edit made directly in SQL (as QGIS or psql would): the index drops its copy at once and
    // answers with the new name once rebuilt; the HTTP answer follows too.
    let srv = common::serve(db.pool.clone()).await;
    let tunis = Point {
        lon: 10.1815,
        lat: 36.8065,
    };
    db.exec(
        "UPDATE admin_unit SET name_fr = 'Tunis (modifié)'
          WHERE level = 'municipality' AND code = '1111' AND valid_to IS NULL",
        (),
    )
    .await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let name = index.locate(tunis).and_then(|units| {
            units
                .into_iter()
                .find(|u| u.names.level == "municipality")
                .and_then(|u| u.names.name_fr)
        });
        if name.as_deref() == Some("Tunis (modifié)") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the index never showed the edit: {name:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let mut http_name = String::new();
    for _ in 0..100 {
        let (_, body) = srv.get_json("/api/locate?lon=10.1815&lat=36.8065").await;
        http_name = body["units"]
            .as_array()
            .and_then(|a| a.iter().find(|u| u["level"] == "municipality"))
            .and_then(|u| u["name_fr"].as_str())
            .unwrap_or_default()
            .to_string();
        if http_name == "Tunis (modifié)" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(http_name, "Tunis (modifié)");
}
