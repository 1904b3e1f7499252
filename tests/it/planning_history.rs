//! A boundary re-import through the real importer (`mokhattat import`): the locations it touches
//! are reassigned at commit without a manual step, the history keeps the previous answer, and
//! assignments and indicators can be asked "as of" before and after the change.
use crate::common;

use serde_json::Value;

async fn db_now(db: &common::TestDb) -> String {
    db.scalar(
        "SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')",
        (),
    )
    .await
}

fn unit_count(ind: &Value, code: &str) -> i64 {
    common::items(&ind["units"])
        .find(|u| u["code"] == code)
        .and_then(|u| u["project_count"].as_i64())
        .unwrap()
}

fn municipality(a: &Value) -> Vec<(String, i64, bool)> {
    common::items(&a["assignments"])
        .filter(|r| r["level"] == "municipality")
        .map(|r| {
            (
                r["unit_code"].as_str().unwrap_or("-").to_string(),
                r["unit_version"].as_i64().unwrap_or(0),
                r["valid_to"].is_null(),
            )
        })
        .collect()
}

/// A point of Le Bardo (1112) 150 m from its boundary with Tunis (1111).
pub(crate) async fn near_bardo_boundary(db: &common::TestDb) -> (f64, f64) {
    sqlx::query_as(&format!(
        "{}, p AS (SELECT ST_PointOnSurface(ST_Intersection(b.geom, ST_Buffer(v.g::geography, 150)::geometry)) AS g
                   FROM v, b LIMIT 1)
         SELECT ST_X(g), ST_Y(g) FROM p",
        crate::planning::TUNIS_BARDO_VERTICES
    ))
    .fetch_one(&db.pool)
    .await
    .unwrap()
}

/// A municipalities file with Tunis and Le Bardo only, whose new boundaries give Tunis the 400 m
/// around (lon, lat); imported with the real importer (`mokhattat import --as municipalities`).
pub(crate) struct RevisedBoundaries {
    _dir: tempfile::TempDir,
    file: std::path::PathBuf,
}

impl RevisedBoundaries {
    pub(crate) async fn write(db: &common::TestDb, lon: f64, lat: f64) -> Self {
        let geojson: String = sqlx::query_scalar(
            "WITH c AS (SELECT ST_Buffer(ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography, 400)::geometry AS g),
                  u AS (SELECT x.* FROM admin_unit x WHERE x.level = 'municipality' AND x.code IN ('1111', '1112') AND x.valid_to IS NULL),
                  n AS (SELECT u.code, u.parent_code, u.name_fr, u.name_ar, u.name_en,
                               CASE u.code WHEN '1111' THEN ST_Union(u.geom, ST_Intersection((SELECT geom FROM u WHERE code = '1112'), c.g))
                                           ELSE ST_Difference(u.geom, c.g) END AS geom
                        FROM u, c)
             SELECT json_build_object('type', 'FeatureCollection', 'features', json_agg(json_build_object(
                 'type', 'Feature', 'geometry', ST_AsGeoJSON(ST_Multi(n.geom), 9)::json,
                 'properties', json_build_object('code', n.code, 'parent_code', n.parent_code, 'name_fr', n.name_fr,
                                                 'name_ar', n.name_ar, 'name_en', n.name_en))))::text
             FROM n",
        )
        .bind(lon)
        .bind(lat)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("municipalities_revised.geojson");
        std::fs::write(&file, geojson).unwrap();
        Self { _dir: dir, file }
    }

    pub(crate) async fn import(&self, db: &common::TestDb) {
        let file = self.file.to_str().unwrap();
        let args = ["import", file, "--as", "municipalities"];
        let out = common::cli(
            db,
            &[&args[..], &["--source", "boundary revision (test)"]].concat(),
        )
        .await;
        common::ok_stdout(&out);
    }
}

#[tokio::test]
async fn boundary_reimport_reassigns_keeps_history_and_answers_as_of() {
    let db = common::sample_db().await;
    // P: a point of Le Bardo (1112) 150 m from its boundary with Tunis; the re-imported
    // boundaries give Tunis the 400 m around P.
    let (lon, lat) = near_bardo_boundary(&db).await;
    let pid: i64 = db.scalar("INSERT INTO project (code, title_fr, project_type, budget_tnd, status) VALUES ('T-MOVE', 'Marché', 'building', 500, 'planned') RETURNING id", ()).await;
    db.exec(
        "INSERT INTO project_location (project_id, source_id, precision, geom) VALUES ($1, 'p', 'exact', ST_SetSRID(ST_MakePoint($2, $3), 4326))",
        (pid, lon, lat),
    )
    .await;

    let srv = common::serve(db.pool.clone()).await;
    let (_, before) = srv.get_json("/api/projects/T-MOVE/assignments").await;
    assert_eq!(municipality(&before), [("1112".to_string(), 1, true)]);
    let (_, ind_before) = srv.get_json("/api/indicators?level=municipality").await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let t0 = db_now(&db).await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;

    let revised = RevisedBoundaries::write(&db, lon, lat).await;
    let import = || revised.import(&db);
    import().await;

    // Reassigned by the database at commit; the previous answer is kept, closed.
    let (_, now) = srv.get_json("/api/projects/T-MOVE/assignments").await;
    assert_eq!(municipality(&now), [("1111".to_string(), 2, true)], "{now}");
    let (_, hist) = srv
        .get_json("/api/projects/T-MOVE/assignments?history=true")
        .await;
    assert_eq!(
        municipality(&hist),
        [
            ("1112".to_string(), 1, false),
            ("1111".to_string(), 2, true)
        ],
        "{hist}"
    );
    let stale: i64 = db
        .scalar(
            "SELECT count(*) FROM location_assignment a JOIN admin_unit u ON u.id = a.unit_id
         WHERE a.valid_to IS NULL AND u.valid_to IS NOT NULL",
            (),
        )
        .await;
    assert_eq!(
        stale, 0,
        "no current assignment points to a closed unit version"
    );
    let (_, then) = srv
        .get_json(&format!("/api/projects/T-MOVE/assignments?as_of={t0}"))
        .await;
    assert_eq!(
        municipality(&then),
        [("1112".to_string(), 1, false)],
        "{then}"
    );

    // Indicators as of before and after the change.
    let (status, ind_then) = srv
        .get_json(&format!("/api/indicators?level=municipality&as_of={t0}"))
        .await;
    assert_eq!(status, 200, "{ind_then}");
    let (_, ind_now) = srv.get_json("/api/indicators?level=municipality").await;
    for code in ["1111", "1112"] {
        assert_eq!(
            unit_count(&ind_then, code),
            unit_count(&ind_before, code),
            "{code} as of t0"
        );
    }
    assert_eq!(
        unit_count(&ind_now, "1111"),
        unit_count(&ind_before, "1111") + 1
    );
    assert_eq!(
        unit_count(&ind_now, "1112"),
        unit_count(&ind_before, "1112") - 1
    );
    // Before any boundary existed there is nothing to answer with.
    let (status, body) = srv
        .get_json("/api/indicators?level=municipality&as_of=2000-01-01")
        .await;
    common::http::assert_says(status, &body, 400, "no units at that date");
    let (_, empty) = srv
        .get_json("/api/projects/T-MOVE/assignments?as_of=2000-01-01")
        .await;
    assert_eq!(empty["assignments"], serde_json::json!([]));

    // Importing the same file again changes nothing.
    let rows_before: i64 = db
        .scalar("SELECT count(*) FROM location_assignment", ())
        .await;
    import().await;
    let rows_after: i64 = db
        .scalar("SELECT count(*) FROM location_assignment", ())
        .await;
    assert_eq!(rows_before, rows_after);
}
