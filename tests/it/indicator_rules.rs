//! Indicators count what they say (docs/indicators.md): cancelled projects apart, execution basis,
//! breakdowns that sum to the totals, spreadsheet-safe CSV, caveats of incomplete layers, the
//! data-quality view. Real PostGIS, through HTTP, on the sample.
use crate::common;

use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;

fn dec(v: &Value) -> Decimal {
    match v {
        Value::String(s) => Decimal::from_str(s).unwrap(),
        Value::Number(n) => Decimal::from_str(&n.to_string()).unwrap(),
        Value::Null => Decimal::ZERO,
        other => panic!("not a number: {other}"),
    }
}

fn unit<'a>(v: &'a Value, code: &str) -> &'a Value {
    common::items(&v["units"])
        .find(|u| u["code"] == code)
        .unwrap_or_else(|| panic!("no unit {code}"))
}

/// A public project whose locations all lie in one municipality, with that municipality.
async fn one_municipality_project(pool: &sqlx::PgPool) -> (String, String) {
    sqlx::query_as(
        "SELECT p.code, min(a.unit_code) FROM project p
         JOIN location_assignment a ON a.project_id = p.id AND a.level = 'municipality' AND a.valid_to IS NULL
         WHERE p.is_public AND p.budget_tnd > 0 AND a.unit_code IS NOT NULL
         GROUP BY p.code HAVING count(DISTINCT a.unit_code) = 1 ORDER BY p.code LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

/// A sample server and a public project of one municipality: (db, server, code, municipality).
async fn served_with_a_project() -> (common::TestDb, common::TestServer, String, String) {
    let db = common::sample_db().await;
    let s = common::serve(db.pool.clone()).await;
    let (code, muni) = one_municipality_project(&db.pool).await;
    (db, s, code, muni)
}

#[tokio::test]
async fn a_cancelled_project_is_counted_apart() {
    let (db, s, code, muni) = served_with_a_project().await;
    let path = "/api/indicators?level=municipality";
    let (st, before) = s.get_json(path).await;
    assert_eq!(st, 200, "{before}");
    let b = unit(&before, &muni).clone();
    assert_eq!(b["cancelled"]["projects"], 0, "{b}");
    // execution basis: over which projects the rate is computed
    assert_eq!(b["execution_basis"]["projects"], b["project_count"], "{b}");
    assert_eq!(
        dec(&b["execution_basis"]["budget_tnd"]),
        dec(&b["budget_tnd"])
    );

    db.exec(
        "UPDATE project SET status = 'cancelled' WHERE code = $1",
        (&code,),
    )
    .await;
    let (_, cancelled) = s.get_json(path).await;
    let c = unit(&cancelled, &muni).clone();
    assert_eq!(c["cancelled"]["projects"], 1, "{c}");
    assert_eq!(
        c["project_count"].as_i64().unwrap(),
        b["project_count"].as_i64().unwrap() - 1
    );
    assert!(dec(&c["budget_tnd"]) < dec(&b["budget_tnd"]), "{c}");
    assert_eq!(c["execution_basis"]["projects"], c["project_count"]);
    let nat_c = cancelled["national"].clone();

    // cancelled = absent: deleting the project changes no per-inhabitant, budget or execution figure
    db.exec("DELETE FROM project WHERE code = $1", (&code,))
        .await;
    let (_, deleted) = s.get_json(path).await;
    let d = unit(&deleted, &muni);
    for k in [
        "budget_per_inhabitant",
        "budget_tnd",
        "project_count",
        "execution_rate",
        "paid_tnd",
    ] {
        assert_eq!(dec(&c[k]), dec(&d[k]), "{k}: cancelled {c} deleted {d}");
    }
    for k in ["budget_per_inhabitant", "budget_tnd", "project_count"] {
        assert_eq!(dec(&nat_c[k]), dec(&deleted["national"][k]), "national {k}");
    }
    assert_eq!(d["cancelled"]["projects"], 0);
}

#[tokio::test]
async fn breakdowns_sum_to_the_totals() {
    let db = common::sample_db().await;
    let s = common::serve(db.pool.clone()).await;
    // one cancelled project so that status has something to keep apart
    let (code, _) = one_municipality_project(&db.pool).await;
    db.exec(
        "UPDATE project SET status = 'cancelled' WHERE code = $1",
        (&code,),
    )
    .await;
    let (_, ind) = s.get_json("/api/indicators?level=governorate").await;
    let mut excluded = 0;
    for by in ["theme", "status", "funding"] {
        let (st, v) = s
            .get_json(&format!(
                "/api/indicators/breakdown?level=governorate&by={by}"
            ))
            .await;
        assert_eq!(st, 200, "{v}");
        let lines = v["lines"].as_array().unwrap();
        assert!(lines.len() >= 24, "{by}");
        for l in lines {
            let parts = l["breakdown"].as_array().unwrap();
            let amount: Decimal = parts.iter().map(|p| dec(&p["amount_tnd"])).sum();
            if by == "funding" {
                // funding sums to the funding apportioned to the line, by source kind
                let line = if l["kind"] == "national" {
                    ind["national"].clone()
                } else {
                    common::items(&ind["units"])
                        .chain(ind["unallocated"].as_array().unwrap())
                        .find(|u| u["code"] == l["code"])
                        .cloned()
                        .unwrap()
                };
                let expected: Decimal = line["by_funding"]
                    .as_object()
                    .unwrap()
                    .values()
                    .map(dec)
                    .sum();
                assert_eq!(amount, expected, "{l}");
                continue;
            }
            let n: i64 = parts.iter().map(|p| p["projects"].as_i64().unwrap()).sum();
            assert_eq!(n, l["total"]["projects"].as_i64().unwrap(), "{by}: {l}");
            assert_eq!(amount, dec(&l["total"]["budget_tnd"]), "{by}: {l}");
            excluded += l["excluded"].as_array().unwrap().len();
        }
    }
    assert!(excluded > 0, "the cancelled project is listed apart");
    // the totals are those of /api/indicators
    let (_, v) = s
        .get_json("/api/indicators/breakdown?level=governorate&by=theme")
        .await;
    let tunis = common::item_where(&v["lines"], "code", "11");
    assert_eq!(
        tunis["total"]["projects"],
        unit(&ind, "11")["project_count"]
    );
    let (st, v) = s
        .get_json("/api/indicators/breakdown?level=governorate&by=colour")
        .await;
    assert_eq!(st, 400, "{v}");
}

async fn bytes(s: &common::TestServer, path: &str) -> Vec<u8> {
    let r = s.get(path).await;
    assert_eq!(r.status(), 200, "{path}");
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    r.bytes().await.unwrap().to_vec()
}

#[tokio::test]
async fn csv_has_a_byte_order_mark_and_arabic_intact() {
    let db = common::sample_db().await;
    let s = common::serve(db.pool.clone()).await;
    for path in [
        "/api/indicators?level=municipality&f=csv",
        "/api/indicators?level=governorate&as_of=2024-01-01&f=csv",
        "/api/indicators/breakdown?level=municipality&by=status&f=csv",
        "/api/data-quality?f=csv",
    ] {
        let b = bytes(&s, path).await;
        assert_eq!(&b[..3], &[0xEF, 0xBB, 0xBF], "{path}");
        let text = String::from_utf8(b[3..].to_vec()).expect("UTF-8");
        assert!(!text.starts_with('\u{FEFF}'), "one BOM only");
        if !path.contains("data-quality") {
            assert!(text.contains("تونس"), "{path}: Arabic name of Tunis intact");
        }
    }
}

#[tokio::test]
async fn facility_figures_carry_a_caveat() {
    let db = common::sample_db().await;
    let s = common::serve(db.pool.clone()).await;
    let (_, v) = s.get_json("/api/indicators?level=municipality").await;
    let c = &v["caveats"][0];
    assert_eq!(c["layer"], "facility", "{v}");
    assert_eq!(c["facilities_loaded"], 1501);
    assert!(c["figures"]
        .as_array()
        .unwrap()
        .contains(&Value::from("school_per_10k")));
    assert!(c["fr"].as_str().unwrap().contains("OpenStreetMap"));
    assert!(c["ar"].as_str().unwrap().contains("ليست جردا كاملا"));
    let (_, d) = s.get_json("/api/units/municipality/1111/diagnosis").await;
    assert_eq!(d["caveats"][0]["facilities_loaded"], 1501, "{d}");
    assert_eq!(
        d["unit"]["execution_basis"]["projects"], d["unit"]["project_count"],
        "execution basis on the diagnosis too"
    );
    for (lang, caveat) in [("ar", "ليست جردا كاملا"), ("fr", "pas un inventaire")] {
        let path = format!("/api/units/municipality/1111/diagnosis?f=html&lang={lang}");
        let html = s.text(&path).await;
        assert!(html.contains(caveat), "{lang} caveat on the {lang} sheet");
    }
}

#[tokio::test]
async fn data_quality_lists_funding_that_does_not_match_the_budget() {
    let (db, s, code, muni) = served_with_a_project().await;
    db.exec(
        "UPDATE funding_line SET amount_tnd = round(amount_tnd / 2, 3)
         WHERE project_id = (SELECT id FROM project WHERE code = $1)",
        (&code,),
    )
    .await;
    let (st, v) = s
        .get_json(&format!("/api/data-quality?municipality={muni}"))
        .await;
    assert_eq!(st, 200, "{v}");
    let m = &v["municipalities"][0];
    assert_eq!(m["municipality"], muni.as_str(), "{v}");
    let p = common::items(&m["projects"])
        .find(|p| p["code"] == code.as_str())
        .unwrap_or_else(|| panic!("{code} listed: {v}"));
    assert!(p["warnings"]
        .as_array()
        .unwrap()
        .contains(&Value::from("funding_mismatch")));
    let html = s
        .text(&format!("/api/data-quality?municipality={muni}&f=html"))
        .await;
    assert!(html.contains(&code), "{html}");
    // lists follow the caller's scope: a non-public project is not shown to an anonymous caller
    db.exec(
        "UPDATE project SET is_public = false WHERE code = $1",
        (&code,),
    )
    .await;
    let (_, v) = s
        .get_json(&format!("/api/data-quality?municipality={muni}"))
        .await;
    assert!(!v.to_string().contains(&format!("\"{code}\"")), "{v}");
    let (st, _) = s.get_json("/api/data-quality?f=xml").await;
    assert_eq!(st, 400);
}
