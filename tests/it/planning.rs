//! Automatic assignment of project locations on the real boundaries (sample data), its history
//! across a boundary re-import, "as of" answers, and apportioned totals that reconcile to the
//! millime. Rows are written with plain SQL: the database keeps the assignments by itself.
use crate::common;

use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;
use sqlx::PgPool;

/// The vertices `v(g)` of the current boundary between Tunis (1111) and Le Bardo (1112), as the
/// start of a query (`a` and `b` are the two municipalities' geometries).
pub const TUNIS_BARDO_VERTICES: &str = "WITH
    a AS (SELECT geom FROM admin_unit WHERE level = 'municipality' AND code = '1111' AND valid_to IS NULL),
    b AS (SELECT geom FROM admin_unit WHERE level = 'municipality' AND code = '1112' AND valid_to IS NULL),
    v AS (SELECT (ST_DumpPoints(ST_Intersection(ST_Boundary(a.geom), ST_Boundary(b.geom)))).geom AS g FROM a, b)";

// Points in Tunis (1111), in Sousse (3111) and in the middle of the country.
const IN_TUNIS: &str = "POINT(10.1658 36.7992)";
const IN_SOUSSE: &str = "POINT(10.6 35.8)";
const MID_COUNTRY: &str = "POINT(9.5 34.0)";
/// A road across Tunis and its neighbours.
pub const ACROSS_TUNIS: &str = "LINESTRING(10.10 36.81, 10.17 36.80, 10.25 36.83)";

pub async fn project(pool: &PgPool, code: &str, ptype: &str, budget: &str) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO project (code, title_fr, title_ar, project_type, theme, budget_tnd, status, partner)
         VALUES ($1, 'Projet ' || $1, 'مشروع ' || $1, $2, 'transport', $3::numeric, 'planned', 'test-partner')
         RETURNING id",
    )
    .bind(code)
    .bind(ptype)
    .bind(budget)
    .fetch_one(pool)
    .await
    .expect("insert project")
}

pub async fn location(
    pool: &PgPool,
    pid: i64,
    precision: &str,
    unit: Option<&str>,
    wkt: &str,
) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO project_location (project_id, source_id, precision, unit_code, geom)
         VALUES ($1, 'loc' || (SELECT count(*) + 1 FROM project_location WHERE project_id = $1), $2, $3,
                 ST_GeomFromText($4, 4326))
         RETURNING id",
    )
    .bind(pid)
    .bind(precision)
    .bind(unit)
    .bind(wkt)
    .fetch_one(pool)
    .await
    .expect("insert location")
}

/// (level, unit code, share, method, precision flag, unit version) of the current rows.
type Row = (
    String,
    Option<String>,
    f64,
    String,
    Option<String>,
    Option<i32>,
);

pub async fn current(pool: &PgPool, loc: i64) -> Vec<Row> {
    sqlx::query_as(
        "SELECT level, unit_code, share, method, precision_flag, unit_version FROM location_assignment
         WHERE location_id = $1 AND valid_to IS NULL ORDER BY level, unit_code",
    )
    .bind(loc)
    .fetch_all(pool)
    .await
    .unwrap()
}

fn at_level<'a>(rows: &'a [Row], level: &str) -> Vec<&'a Row> {
    rows.iter().filter(|r| r.0 == level).collect()
}

/// Units of `level` containing the point, from the whole geometries (not the pieces).
async fn containing(pool: &PgPool, level: &str, lon: f64, lat: f64) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT code FROM admin_unit WHERE level = $1 AND valid_to IS NULL
            AND ST_Intersects(geom, ST_SetSRID(ST_MakePoint($2, $3), 4326)) ORDER BY code COLLATE \"C\"",
    )
    .bind(level)
    .bind(lon)
    .bind(lat)
    .fetch_all(pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_point_in_a_known_municipality() {
    let db = common::sample_db().await;
    let pid = project(&db.pool, "T-KASBAH", "building", "1000").await;
    let loc = location(&db.pool, pid, "exact", None, IN_TUNIS).await;
    let rows = current(&db.pool, loc).await;
    assert_eq!(rows.len(), 3, "{rows:?}");
    for (level, code) in [("municipality", "1111"), ("governorate", "11")] {
        let r = at_level(&rows, level);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].1.as_deref(), Some(code));
        assert_eq!(
            (r[0].2, r[0].3.as_str(), r[0].5),
            (1.0, "point_in_unit", Some(1))
        );
    }
    let delegation = containing(&db.pool, "delegation", 10.1658, 36.7992).await;
    assert_eq!(
        at_level(&rows, "delegation")[0].1.as_ref(),
        delegation.first()
    );

    // An approximate point is assigned the same way and flagged.
    let approx = location(&db.pool, pid, "approximate", None, IN_TUNIS).await;
    let rows = current(&db.pool, approx).await;
    assert!(
        rows.iter().all(|r| r.4.as_deref() == Some("approximate")),
        "{rows:?}"
    );

    let srv = common::serve(db.pool.clone()).await;
    let (status, body) = srv.get_json("/api/projects/T-KASBAH/assignments").await;
    assert_eq!(status, 200, "{body}");
    let muni: Vec<&Value> = common::items(&body["assignments"])
        .filter(|a| a["level"] == "municipality")
        .collect();
    assert_eq!(muni.len(), 2);
    assert!(muni
        .iter()
        .all(|a| a["unit_code"] == "1111" && a["name_fr"] == "Tunis"));
}

#[tokio::test]
async fn a_point_on_a_shared_boundary_is_decided_the_same_way_every_time() {
    let db = common::sample_db().await;
    // A vertex of the boundary between Tunis (1111) and Le Bardo (1112) touching only those two.
    let (lon, lat): (f64, f64) = sqlx::query_as(
        &format!(
            "{TUNIS_BARDO_VERTICES}
             SELECT ST_X(g), ST_Y(g) FROM v
             WHERE (SELECT count(*) FROM admin_unit u WHERE u.level = 'municipality' AND u.valid_to IS NULL
                    AND ST_Intersects(u.geom, v.g)) = 2
             LIMIT 1"
        ),
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(
        containing(&db.pool, "municipality", lon, lat).await,
        ["1111", "1112"]
    );
    let pid = project(&db.pool, "T-EDGE", "road", "10").await;
    let wkt = format!("POINT({lon} {lat})");
    let loc = location(&db.pool, pid, "exact", None, &wkt).await;
    for round in 0..5 {
        let rows = current(&db.pool, loc).await;
        let m = at_level(&rows, "municipality");
        assert_eq!(m.len(), 1, "round {round}: {rows:?}");
        assert_eq!(m[0].1.as_deref(), Some("1111"), "the lowest code wins");
        assert_eq!((m[0].2, m[0].3.as_str()), (1.0, "point_on_boundary"));
        // move it away and back: recomputed from scratch, same answer
        db.exec("UPDATE project_location SET geom = ST_SetSRID(ST_MakePoint(10.6346, 35.8256), 4326) WHERE id = $1", (loc,)).await;
        assert_eq!(
            at_level(&current(&db.pool, loc).await, "municipality")[0]
                .1
                .as_deref(),
            Some("3111")
        );
        sqlx::query("UPDATE project_location SET geom = ST_GeomFromText($2, 4326) WHERE id = $1")
            .bind(loc)
            .bind(&wkt)
            .execute(&db.pool)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn offshore_governorate_level_and_national_locations() {
    let db = common::sample_db().await;
    let pid = project(&db.pool, "T-PREC", "programme", "100").await;
    assert!(containing(&db.pool, "governorate", 10.9, 37.3)
        .await
        .is_empty());
    let sea = location(&db.pool, pid, "exact", None, "POINT(10.9 37.3)").await;
    let rows = current(&db.pool, sea).await;
    assert_eq!(rows.len(), 3);
    assert!(
        rows.iter()
            .all(|r| r.1.is_none() && r.2 == 1.0 && r.3 == "outside"),
        "{rows:?}"
    );

    // governorate-level: its governorate only (by code, wherever the point is), no municipality
    let gov = location(&db.pool, pid, "governorate", Some("31"), IN_TUNIS).await;
    let rows = current(&db.pool, gov).await;
    let g = at_level(&rows, "governorate");
    assert_eq!(
        (g[0].1.as_deref(), g[0].3.as_str()),
        (Some("31"), "declared_unit")
    );
    for level in ["municipality", "delegation"] {
        let r = at_level(&rows, level);
        assert_eq!(
            (r.len(), r[0].1.as_deref(), r[0].3.as_str()),
            (1, None, "coarser_precision")
        );
    }
    // an unknown code: by geometry, flagged
    let unknown = location(&db.pool, pid, "governorate", Some("99"), IN_TUNIS).await;
    let g = current(&db.pool, unknown).await;
    let g = at_level(&g, "governorate");
    assert_eq!(
        (g[0].1.as_deref(), g[0].4.as_deref()),
        (Some("11"), Some("unit_code_not_found"))
    );

    // municipality-level: that municipality, its governorate, no delegation
    let muni = location(&db.pool, pid, "municipality", Some("3111"), IN_SOUSSE).await;
    let rows = current(&db.pool, muni).await;
    assert_eq!(
        at_level(&rows, "municipality")[0].1.as_deref(),
        Some("3111")
    );
    let g = at_level(&rows, "governorate");
    assert_eq!(
        (g[0].1.as_deref(), g[0].3.as_str()),
        (Some("31"), "via_declared_unit")
    );
    assert_eq!(at_level(&rows, "delegation")[0].3, "coarser_precision");

    // national: no unit at any level
    let nat = location(&db.pool, pid, "national", None, MID_COUNTRY).await;
    let rows = current(&db.pool, nat).await;
    assert_eq!(rows.len(), 3);
    assert!(
        rows.iter().all(|r| r.1.is_none() && r.3 == "national"),
        "{rows:?}"
    );
}

#[tokio::test]
async fn a_line_across_municipalities_is_shared_by_length_and_apportioned_exactly() {
    let db = common::sample_db().await;
    let line = ACROSS_TUNIS;
    let pid = project(&db.pool, "T-ROAD", "road", "1000.001").await;
    let loc = location(&db.pool, pid, "exact", None, line).await;
    // independent: length of the line in each municipality's whole geometry, on the sphere
    let expected: Vec<(String, f64)> = db.rows("WITH l AS (SELECT ST_GeomFromText($1, 4326) AS g)
         SELECT u.code, ST_Length(ST_Intersection(u.geom, l.g)::geography, false) / ST_Length(l.g::geography, false)
         FROM admin_unit u, l WHERE u.level = 'municipality' AND u.valid_to IS NULL AND ST_Intersects(u.geom, l.g)
         ORDER BY u.code", (line,)).await;
    assert!(
        expected.len() >= 3,
        "the line crosses three municipalities or more: {expected:?}"
    );
    let rows = current(&db.pool, loc).await;
    let m = at_level(&rows, "municipality");
    assert_eq!(m.len(), expected.len(), "{rows:?}");
    for (r, (code, share)) in m.iter().zip(&expected) {
        assert_eq!(r.1.as_ref(), Some(code));
        assert_eq!(r.3, "length_share");
        assert!((r.2 - share).abs() < 1e-6, "{code}: {} vs {share}", r.2);
    }
    for level in ["municipality", "delegation", "governorate"] {
        let sum: f64 = at_level(&rows, level).iter().map(|r| r.2).sum();
        assert!((sum - 1.0).abs() < 1e-9, "{level}: shares sum to {sum}");
    }
    // the budget's parts add up to the millime, each within a millime of budget × share
    let parts: Vec<(String, Decimal)> = db.rows("SELECT bucket, budget_tnd FROM project_apportionment WHERE project_id = $1 AND level = 'municipality' ORDER BY bucket", (pid,)).await;
    let budget = Decimal::from_str("1000.001").unwrap();
    assert_eq!(parts.iter().map(|p| p.1).sum::<Decimal>(), budget);
    for ((code, part), (_, share)) in parts.iter().zip(&expected) {
        let exact = 1000.001 * share;
        let got = f64::from_str(&part.to_string()).unwrap();
        assert!(
            (got - exact).abs() <= 0.001 + 1e-9,
            "{code}: {got} vs {exact}"
        );
        assert_eq!(part.scale(), 3);
    }
}

#[tokio::test]
async fn a_polygon_is_shared_by_area() {
    let db = common::sample_db().await;
    let poly = "POLYGON((10.12 36.80, 10.20 36.80, 10.20 36.84, 10.12 36.84, 10.12 36.80))";
    let pid = project(&db.pool, "T-ZONE", "programme", "7").await;
    let loc = location(&db.pool, pid, "exact", None, poly).await;
    let expected: Vec<(String, f64)> = db.rows("WITH p AS (SELECT ST_GeomFromText($1, 4326) AS g)
         SELECT u.code, ST_Area(ST_Intersection(u.geom, p.g)::geography, false) / ST_Area(p.g::geography, false)
         FROM admin_unit u, p WHERE u.level = 'municipality' AND u.valid_to IS NULL AND ST_Intersects(u.geom, p.g)
           AND ST_Area(ST_Intersection(u.geom, p.g)) > 0
         ORDER BY u.code", (poly,)).await;
    let rows = current(&db.pool, loc).await;
    let m: Vec<&Row> = at_level(&rows, "municipality")
        .into_iter()
        .filter(|r| r.1.is_some())
        .collect();
    assert_eq!(m.len(), expected.len(), "{rows:?} vs {expected:?}");
    // where the boundary data overlaps (shares over 1 in total), shares are normalised to 1
    let total: f64 = expected.iter().map(|e| e.1).sum::<f64>().max(1.0);
    for (r, (code, share)) in m.iter().zip(&expected) {
        assert_eq!((r.1.as_ref(), r.3.as_str()), (Some(code), "area_share"));
        // 1e-4: the pieces' cut edges are geodesics on the sphere too, which moves areas by ~1e-5
        assert!(
            (r.2 - share / total).abs() < 1e-4,
            "{code}: {} vs {share}",
            r.2
        );
    }
    let sum: f64 = at_level(&rows, "municipality").iter().map(|r| r.2).sum();
    assert!((sum - 1.0).abs() < 1e-9);
}

#[tokio::test]
async fn apportioned_totals_reconcile_to_the_millime() {
    let db = common::sample_db().await;
    // awkward figures: thirds, a single millime over three units, funding lines
    let road = project(&db.pool, "T-THIRDS", "road", "100.000").await;
    location(&db.pool, road, "exact", None, ACROSS_TUNIS).await;
    location(&db.pool, road, "municipality", Some("3111"), IN_SOUSSE).await;
    location(&db.pool, road, "national", None, MID_COUNTRY).await;
    let tiny = project(&db.pool, "T-MILLIME", "road", "0.001").await;
    location(&db.pool, tiny, "exact", None, ACROSS_TUNIS).await;
    db.exec("INSERT INTO funding_line (project_id, source_kind, funder, amount, amount_tnd)
         VALUES ($1, 'state_transfer', 'État', 33.333, 33.333), ($1, 'own_resources', NULL, 66.667, 66.667)", (road,)).await;
    // every project's parts add up to its budget and its funding lines at every level
    let bad: i64 = db.scalar("SELECT count(*) FROM (
            SELECT a.project_id, a.level FROM project_apportionment a JOIN project p ON p.id = a.project_id
            GROUP BY a.project_id, a.level, p.budget_tnd HAVING sum(a.budget_tnd) IS DISTINCT FROM p.budget_tnd
            UNION ALL
            SELECT f.funding_line_id, f.level FROM funding_apportionment f JOIN funding_line l ON l.id = f.funding_line_id
            GROUP BY f.funding_line_id, f.level, l.amount_tnd HAVING sum(f.amount_tnd) <> l.amount_tnd) x", ()).await;
    assert_eq!(bad, 0);

    let srv = common::serve(db.pool.clone()).await;
    for level in ["municipality", "delegation", "governorate"] {
        let csv = srv
            .text(&format!("/api/indicators?level={level}&f=csv"))
            .await;
        let (mut units, mut national) = (Decimal::ZERO, Decimal::ZERO);
        let records = mokhattat::landuse::csv::read(&csv).unwrap();
        let (header, rows) = records.split_first().unwrap();
        let budget = header.1.iter().position(|h| h == "budget_tnd").unwrap();
        for (_, f) in rows {
            let v = Decimal::from_str(&f[budget]).unwrap();
            if f[0] == "national" {
                national = v;
            } else {
                units += v;
            }
        }
        let total: Decimal = db
            .scalar("SELECT sum(budget_tnd) FROM project WHERE is_public", ())
            .await;
        assert_eq!(national, total, "{level}");
        assert_eq!(
            units, national,
            "{level}: units + unallocated = national, to the millime"
        );
        let (status, json) = srv
            .get_json(&format!("/api/indicators?level={level}"))
            .await;
        assert_eq!(status, 200);
        assert_eq!(
            json["reconciliation"]["difference_tnd"].as_f64(),
            Some(0.0),
            "{}",
            json["reconciliation"]
        );
        assert!(common::items(&json["unallocated"]).any(|u| u["code"] == "~national"));
    }
}
