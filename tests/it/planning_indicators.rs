//! Indicators checked against values computed here from the raw rows (projects, locations,
//! population, facilities, whole unit geometries), the diagnosis sheet, and the project context.
use crate::common;

use std::collections::HashMap;

use serde_json::Value;

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[tokio::test]
async fn indicators_match_an_independent_computation() {
    let db = common::sample_db().await;
    // Independent: each public project's share of each municipality = the fraction of its
    // locations there (exact/approximate points: the municipality containing the point, lowest
    // code on a boundary; municipality-level: its unit_code; otherwise none).
    let rows: Vec<(i64, String, f64)> = db.rows("WITH l AS (
            SELECT l.project_id, count(*) OVER (PARTITION BY l.project_id) AS n,
                   CASE WHEN l.precision IN ('exact', 'approximate') THEN
                            (SELECT u.code FROM admin_unit u WHERE u.level = 'municipality' AND u.valid_to IS NULL
                               AND ST_Intersects(u.geom, l.geom) ORDER BY u.code COLLATE \"C\" LIMIT 1)
                        WHEN l.precision = 'municipality' THEN l.unit_code END AS muni
            FROM project_location l JOIN project p ON p.id = l.project_id WHERE p.is_public)
         SELECT l.project_id, l.muni, (count(*)::float8 / min(l.n)) * (SELECT coalesce(budget_tnd, 0)::float8 FROM project WHERE id = l.project_id)
         FROM l WHERE l.muni IS NOT NULL GROUP BY l.project_id, l.muni", ()).await;
    let mut budget: HashMap<String, f64> = HashMap::new();
    let mut projects: HashMap<String, i64> = HashMap::new();
    for (_, muni, b) in &rows {
        *budget.entry(muni.clone()).or_default() += b;
        *projects.entry(muni.clone()).or_default() += 1;
    }
    let population: HashMap<String, i64> = db.rows::<(String, i64)>("SELECT DISTINCT ON (code) code, population FROM population WHERE level = 'municipality' ORDER BY code, year DESC", ()).await
    .into_iter()
    .collect();
    let schools: HashMap<String, i64> = db.rows::<(String, i64)>("SELECT u.code, count(f.id) FROM admin_unit u LEFT JOIN facility f ON f.kind = 'school' AND ST_Intersects(u.geom, f.geom)
         WHERE u.level = 'municipality' AND u.valid_to IS NULL GROUP BY u.code", ()).await
    .into_iter()
    .collect();

    let srv = common::serve(db.pool.clone()).await;
    let started = std::time::Instant::now();
    let (status, ind) = srv.get_json("/api/indicators?level=municipality").await;
    assert_eq!(status, 200, "{ind}");
    eprintln!("indicators for all municipalities: {:?}", started.elapsed());
    let units = ind["units"].as_array().unwrap();
    assert_eq!(units.len(), 350);
    let mut checked = 0;
    for u in units {
        let code = u["code"].as_str().unwrap();
        let n = *projects.get(code).unwrap_or(&0);
        assert_eq!(
            u["project_count"].as_i64().unwrap(),
            n,
            "{code}: project count"
        );
        let expected = *budget.get(code).unwrap_or(&0.0);
        assert!(
            (f(&u["budget_tnd"]) - expected).abs() <= 0.001 * (n as f64 + 1.0),
            "{code}: {} vs {expected}",
            u["budget_tnd"]
        );
        let pop = population[code];
        assert_eq!(u["population"].as_i64(), Some(pop));
        assert_eq!(u["population_year"].as_i64(), Some(2019));
        let per = f(&u["budget_per_inhabitant"]);
        assert!(
            (per - expected / pop as f64).abs() <= 0.0015,
            "{code}: {per} per inhabitant"
        );
        let s = schools[code];
        assert_eq!(
            u["facilities"]["school"]["count"].as_i64(),
            Some(s),
            "{code}: schools"
        );
        assert!(
            (f(&u["facilities"]["school"]["per_10k"]) - s as f64 * 10000.0 / pop as f64).abs()
                < 0.0006
        );
        let themes: f64 = u["by_theme"]
            .as_object()
            .unwrap()
            .values()
            .map(|t| f(&t["budget_tnd"]))
            .sum();
        assert!(
            (themes - f(&u["budget_tnd"])).abs() < 0.001,
            "{code}: themes add up"
        );
        if n > 0 {
            checked += 1;
        }
    }
    assert!(
        checked >= 40,
        "enough municipalities with projects to mean something: {checked}"
    );

    // rank within the governorate, recomputed from the answer itself
    let mut by_gov: HashMap<&str, Vec<(f64, &str, i64)>> = HashMap::new();
    for u in units {
        by_gov
            .entry(u["governorate_code"].as_str().unwrap())
            .or_default()
            .push((
                f(&u["budget_per_inhabitant"]),
                u["code"].as_str().unwrap(),
                u["rank_in_governorate"].as_i64().unwrap(),
            ));
    }
    for (_, mut list) in by_gov {
        list.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        for (i, (v, code, rank)) in list.iter().enumerate() {
            let expected = 1 + list.iter().filter(|o| o.0 > *v).count() as i64;
            assert_eq!(*rank, expected, "{code} at {i}");
        }
    }
    // distance from the settlement to the nearest school, recomputed for Tunis (1111)
    let km: f64 = db.scalar("SELECT min(ST_Distance(f.geom::geography, s.geom::geography)) / 1000 FROM facility f, unit_settlement s
         JOIN admin_unit u ON u.id = s.unit_id WHERE u.level = 'municipality' AND u.code = '1111' AND u.valid_to IS NULL
           AND f.kind = 'school'", ()).await;
    let tunis = units.iter().find(|u| u["code"] == "1111").unwrap();
    assert!((f(&tunis["facilities"]["school"]["nearest_km"]) - km).abs() < 0.0006);
    // CSV has the same lines
    let csv = srv.get("/api/indicators?level=municipality&f=csv").await;
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let text = csv.text().await.unwrap();
    let records = mokhattat::landuse::csv::read(&text).unwrap();
    assert_eq!(records.iter().filter(|r| r.1[0] == "unit").count(), 350);
    let (code, body) = srv.get_json("/api/indicators").await;
    assert_eq!(code, 400, "{body}");
    let (code, _) = srv.get_json("/api/indicators?level=planet").await;
    assert_eq!(code, 400);
}

#[tokio::test]
async fn diagnosis_json_and_printable_sheet() {
    let (_db, srv) = common::sample_server().await;
    let (status, d) = srv.get_json("/api/units/municipality/1111/diagnosis").await;
    assert_eq!(status, 200, "{d}");
    assert_eq!(d["unit"]["code"], "1111");
    assert_eq!(d["unit"]["name_fr"], "Tunis");
    assert!(d["peers"].as_array().unwrap().len() >= 2);
    assert_eq!(d["governorate"]["code"], "11");
    assert!(d["map"]["path"].as_str().unwrap().starts_with('M'));
    assert_eq!(
        d["projects"]["count"].as_i64(),
        d["unit"]["project_count"].as_i64()
    );
    // the sheet in each language (printing: tests/it/sheet_print.rs)
    for (lang, needles) in [
        ("fr", ["Fiche de diagnostic", "Budget par habitant"]),
        ("ar", ["بطاقة تشخيص", "الميزانية للفرد"]),
    ] {
        let r = srv
            .get(&format!(
                "/api/units/municipality/1111/diagnosis?f=html&lang={lang}"
            ))
            .await;
        assert_eq!(r.status().as_u16(), 200);
        let html = r.text().await.unwrap();
        for needle in needles
            .into_iter()
            .chain(["<svg", "@media print", "size:A4"])
        {
            assert!(html.contains(needle), "{lang}: {needle}");
        }
        assert!(
            !html.contains("src=\"http")
                && !html.contains("href=\"http")
                && !html.contains("<script")
        );
    }
    let r = srv
        .get("/api/units/municipality/1111/diagnosis?f=html&lang=de")
        .await;
    assert_eq!(r.status().as_u16(), 400);
    assert!(r.text().await.unwrap().contains("lang=fr or lang=ar"));
    let (status, _) = srv.get_json("/api/units/municipality/9999/diagnosis").await;
    assert_eq!(status, 404);
    let (status, _) = srv.get_json("/api/units/galaxy/1111/diagnosis").await;
    assert_eq!(status, 404);
    let (status, g) = srv.get_json("/api/units/governorate/11/diagnosis").await;
    assert_eq!(status, 200);
    assert_eq!(
        g["peers"].as_array().unwrap().len(),
        24,
        "governorates are compared nationally"
    );
}

#[tokio::test]
async fn project_context_brings_everything_together() {
    let db = common::sample_db().await;
    let code: String = db.scalar("SELECT p.code FROM project p JOIN project_location l ON l.project_id = p.id WHERE l.precision = 'exact' ORDER BY p.code LIMIT 1", ()).await;
    let srv = common::serve(db.pool.clone()).await;
    let (status, c) = srv.get_json(&format!("/api/projects/{code}/context")).await;
    assert_eq!(status, 200, "{c}");
    for key in [
        "project",
        "monitoring",
        "units",
        "conformity",
        "locations",
        "funding",
        "progress",
    ] {
        assert!(!c[key].is_null(), "{key}");
    }
    for level in ["municipality", "delegation", "governorate"] {
        let sum: f64 = common::items(&c["units"][level])
            .map(|u| f(&u["share"]))
            .sum();
        assert!((sum - 1.0).abs() < 1e-5, "{level}: {sum}");
    }
    let exact = common::items(&c["locations"])
        .find(|l| l["precision"] == "exact")
        .unwrap();
    let nearest = &exact["nearest_facilities"]["health"];
    let id = exact["id"].as_i64().unwrap();
    let km: f64 = db.scalar("SELECT min(ST_Distance(f.geom::geography, l.geom::geography)) / 1000 FROM facility f, project_location l
         WHERE l.id = $1 AND f.kind = 'health'", (id,)).await;
    assert!((f(&nearest["km"]) - km).abs() < 0.0006, "{nearest} vs {km}");
    assert!(exact["conformity"]["verdict"].is_string());
    let (status, _) = srv.get_json("/api/projects/NOPE/context").await;
    assert_eq!(status, 404);
    let (status, body) = srv
        .get_json(&format!("/api/projects/{code}/context?as_of=soon"))
        .await;
    assert_eq!(status, 400, "{body}");
}
