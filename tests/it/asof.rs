//! "As of a date" on the sample (docs/dates.md): the units, indicators and features of a date,
//! through HTTP, at several dates; a bad date is a 400 everywhere a date is taken.
use crate::common;

use serde_json::Value;

fn codes(v: &Value, level: &str) -> Vec<String> {
    common::items(&v["units"])
        .filter(|u| u["level"] == level)
        .map(|u| u["code"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn locate_units_and_indicators_at_several_dates() {
    let db = common::sample_db().await;
    let s = common::serve(db.pool.clone()).await;
    let today = chrono::Utc::now().date_naive().to_string();

    // Tunis (10.18, 36.80): governorates valid since 2000, delegations since 2018, municipalities
    // since the 6 May 2018 elections.
    let at = |d: &str| format!("/api/locate?lon=10.18&lat=36.80&at={d}");
    let (st, v) = s.get_json(&at("1990-01-01")).await;
    assert_eq!(st, 200, "{v}");
    assert!(v["units"].as_array().unwrap().is_empty(), "{v}");
    for (date, gov, del, muni) in [
        ("2013-12-31", 1, 0, 0),
        ("2016-06-01", 1, 0, 0),
        ("2018-05-05", 1, 1, 0),
        ("2018-05-06", 1, 1, 1),
        ("2019-06-01", 1, 1, 1),
        ("2024-01-01", 1, 1, 1),
        (today.as_str(), 1, 1, 1),
    ] {
        let (st, v) = s.get_json(&at(date)).await;
        assert_eq!(st, 200, "{date}: {v}");
        assert_eq!(codes(&v, "governorate").len(), gov, "{date}: {v}");
        assert_eq!(codes(&v, "delegation").len(), del, "{date}: {v}");
        assert_eq!(codes(&v, "municipality").len(), muni, "{date}: {v}");
    }
    let (_, v) = s.get_json(&at("2019-06-01")).await;
    assert_eq!(codes(&v, "municipality"), vec!["1111".to_string()], "{v}");
    // without at=, the current units (the in-memory index) give the same answer
    let (_, now) = s.get_json("/api/locate?lon=10.18&lat=36.80").await;
    assert_eq!(codes(&now, "municipality"), codes(&v, "municipality"));

    // /api/units honours at=
    let search = |d: &str| format!("/api/units?q=tunis&level=municipality&at={d}");
    let (st, v) = s.get_json(&search("2016-01-01")).await;
    assert_eq!(st, 200, "{v}");
    assert!(v["results"].as_array().unwrap().is_empty(), "{v}");
    let (st, v) = s.get_json(&search("2019-06-01")).await;
    assert_eq!(st, 200, "{v}");
    assert!(!v["results"].as_array().unwrap().is_empty(), "{v}");
    assert!(v["at"].is_string(), "{v}");

    // OGC API – Features: datetime= on the units' validity, a date being the Tunisian day
    for (date, n) in [
        ("2016-01-01", 0),
        ("2018-05-05", 0),
        ("2018-05-06", 350),
        ("2019-06-01", 350),
    ] {
        let (st, v) = s
            .get_json(&format!(
                "/collections/municipalities/items?datetime={date}&limit=1"
            ))
            .await;
        assert_eq!(st, 200, "{v}");
        assert_eq!(v["numberMatched"], n, "{date}");
    }

    // indicators: the README's own example, with the 350 municipalities and their projects
    let (st, v) = s
        .get_json("/api/indicators?level=municipality&as_of=2024-01-01")
        .await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["units"].as_array().unwrap().len(), 350);
    let with_projects = common::items(&v["units"])
        .filter(|u| u["project_count"].as_i64().unwrap() > 0)
        .count();
    assert!(with_projects > 10, "{with_projects}");
    // before the municipalities existed, the level has no units at that date: 400 saying so
    let (st, v) = s
        .get_json("/api/indicators?level=municipality&as_of=2016-06-01")
        .await;
    assert_eq!(st, 400, "{v}");
    assert!(
        v["description"].as_str().unwrap().contains("at that date"),
        "{v}"
    );
    // governorates in 2016: the projects approved by then (approval dates from the source)
    let (st, g2016) = s
        .get_json("/api/indicators?level=governorate&as_of=2016-06-01")
        .await;
    assert_eq!(st, 200, "{g2016}");
    let (_, g2024) = s
        .get_json("/api/indicators?level=governorate&as_of=2024-01-01")
        .await;
    let n = |v: &Value| v["national"]["project_count"].as_i64().unwrap();
    let (approved_2016, approved_2024): (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE planned_start <= '2016-06-01'),
                count(*) FILTER (WHERE planned_start <= '2024-01-01')
         FROM project WHERE is_public",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(n(&g2016), approved_2016, "{}", g2016["national"]);
    assert_eq!(n(&g2024), approved_2024, "{}", g2024["national"]);
    assert!(approved_2016 < approved_2024);
    // status as of a date comes from the dated history: a project closed after 2016 was under way
    let (code, closing): (String, chrono::NaiveDate) = sqlx::query_as(
        "SELECT code, planned_end FROM project WHERE status = 'completed'
           AND planned_start < '2016-01-01' AND planned_end > '2016-06-01' ORDER BY code LIMIT 1",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let (st, h) = s.get_json(&format!("/api/projects/{code}/history")).await;
    assert_eq!(st, 200, "{h}");
    let text = h.to_string();
    assert!(
        text.contains(&closing.to_string()),
        "closing date in the history: {text}"
    );
    let (st, c) = s
        .get_json(&format!("/api/projects/{code}/context?as_of=2016-06-01"))
        .await;
    assert_eq!(st, 200, "{c}");
    assert!(c.to_string().contains("works_under_way"), "{c}");
}

#[tokio::test]
async fn a_bad_date_is_a_400_everywhere() {
    let db = common::sample_db().await;
    let s = common::serve(db.pool.clone()).await;
    let (code,): (String,) = sqlx::query_as("SELECT code FROM project ORDER BY code LIMIT 1")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    for bad in ["yesterday", "2024-13-01", "2999-01-01"] {
        for path in [
            format!("/api/locate?lon=10.18&lat=36.80&at={bad}"),
            format!("/api/locate?lon=10.18&lat=36.80&as_of={bad}"),
            format!("/api/units?q=tunis&at={bad}"),
            format!("/api/indicators?level=municipality&as_of={bad}"),
            format!("/api/indicators/breakdown?level=municipality&by=theme&as_of={bad}"),
            format!("/api/units/municipality/1111/diagnosis?as_of={bad}"),
            format!("/api/projects/{code}/context?as_of={bad}"),
            format!("/api/projects/{code}/assignments?as_of={bad}"),
        ] {
            let (st, v) = s.get_json(&path).await;
            assert_eq!(st, 400, "{path}: {v}");
        }
    }
    let (st, v) = s
        .get_json("/collections/projects/items?datetime=yesterday")
        .await;
    assert_eq!(st, 400, "{v}");
}

#[tokio::test]
async fn importer_valid_from_and_per_feature_dates() {
    let db = common::sample_db().await;
    // the sample units carry their sources' dates, not the import time
    let rows: Vec<(String, String)> = db.rows("SELECT level, min(mk_local_date(valid_from))::text FROM admin_unit GROUP BY level ORDER BY level", ()).await;
    assert_eq!(
        rows,
        vec![
            ("delegation".to_string(), "2018-01-01".to_string()),
            ("governorate".to_string(), "2000-01-01".to_string()),
            ("municipality".to_string(), "2018-05-06".to_string()),
        ]
    );
    // a day in Tunisia: 2018-05-06 00:00 at UTC+1
    let (t,): (String,) = sqlx::query_as(
        "SELECT to_char(min(valid_from) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') FROM admin_unit WHERE level = 'municipality'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(t, "2018-05-05 23:00");

    // CLI: a governorate re-drawn with a per-feature date closes the old version on that day
    let dir = common::tmp_dir().join(format!("asof_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("gov.geojson");
    std::fs::write(
        &file,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"11","name_fr":"Tunis","date_debut":"2021-03-15"},
        "geometry":{"type":"Polygon","coordinates":[[[10.0,36.7],[10.3,36.7],[10.3,36.9],[10.0,36.9],[10.0,36.7]]]}}]}"#,
    )
    .unwrap();
    let file = file.to_str().unwrap();
    let gov = [
        "import",
        file,
        "--as",
        "governorates",
        "--valid-from",
        "2020-01-01",
    ];
    let out = common::cli(
        &db,
        &[&gov[..], &["--field", "valid_from=date_debut"]].concat(),
    )
    .await;
    common::ok_stdout(&out);
    let versions: Vec<(i32, String, Option<String>)> = db.rows("SELECT version, mk_local_date(valid_from)::text, ((valid_to AT TIME ZONE 'Africa/Tunis')::date)::text
         FROM admin_unit WHERE level = 'governorate' AND code = '11' ORDER BY version", ()).await;
    assert_eq!(
        versions,
        vec![
            (1, "2000-01-01".into(), Some("2021-03-15".into())),
            (2, "2021-03-15".into(), None),
        ]
    );
    // --valid-to before --valid-from is refused
    let out = common::cli(
        &db,
        &[&gov[..], &["--valid-to", "2019-01-01", "--dry-run"]].concat(),
    )
    .await;
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--valid-to"));
    std::fs::remove_dir_all(&dir).ok();
}
