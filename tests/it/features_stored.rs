//! The stored GeoJSON of migration 0031 (docs/features.md, "Stored GeoJSON"): the text items print
//! for CRS84 is what PostGIS computes from the geometry, after every kind of write, whoever writes;
//! and callers who read exact geometries never get the stored public one.
use crate::common;

use serde_json::Value;

/// Projects whose stored feature differs from the live computation (the layer's own expression with
/// the anonymous scope), or units whose stored text differs from `ST_AsGeoJSON(geom, 7)`.
pub const DRIFT: &str = "SELECT (SELECT count(*) FROM admin_unit WHERE geojson IS DISTINCT FROM ST_AsGeoJSON(geom, 7)) \
    + (SELECT count(*) FROM project p LEFT JOIN project_feature f ON f.project_id = p.id \
       WHERE coalesce(f.locations, 0) <> (SELECT count(*) FROM project_location l WHERE l.project_id = p.id) \
          OR f.physical_pct IS DISTINCT FROM (SELECT e.physical_pct FROM project_event e WHERE e.project_id = p.id \
             AND e.physical_pct IS NOT NULL ORDER BY e.at DESC, e.id DESC LIMIT 1) \
          OR f.geojson IS DISTINCT FROM (SELECT ST_AsGeoJSON(ST_Collect(mk_location_geom(l.geom, l.public_geom, l.id, \
             p.partner, false, NULL::text, '{}'::text[]) ORDER BY l.id), 7) FROM project_location l WHERE l.project_id = p.id))";

#[tokio::test]
async fn stored_geojson_follows_every_write() {
    let db = common::sample_db().await;
    assert_eq!(db.scalar::<i64>(DRIFT, ()).await, 0, "after the import");
    let pid: i64 = db
        .scalar("SELECT project_id FROM project_location GROUP BY 1 HAVING count(*) > 2 ORDER BY 1 LIMIT 1", ())
        .await;
    let steps = [
        // two progress reports in one statement (the later one counts), then a report without a figure
        "INSERT INTO project_event (project_id, project_code, kind, author, physical_pct, at) \
         SELECT id, code, 'progress', 'test', v, now() + d FROM project, \
         (VALUES (12.5, interval '1 hour'), (7.25, interval '2 hours')) AS x(v, d) WHERE id = $1",
        "INSERT INTO project_event (project_id, project_code, kind, author, at) \
         SELECT id, code, 'progress', 'test', now() + interval '3 hours' FROM project WHERE id = $1",
        // a new location, a moved one, masked ones, a deleted one, then none at all
        "INSERT INTO project_location (project_id, source_id, precision, geom) \
         VALUES ($1, 'stored-test', 'exact', ST_SetSRID(ST_MakeLine(ST_MakePoint(10.1, 36.8), ST_MakePoint(10.2, 36.85)), 4326))",
        "UPDATE project_location SET geom = ST_Translate(geom, 0.001, 0.001) WHERE project_id = $1 AND source_id = 'stored-test'",
        "UPDATE project_location SET disclosure = 'displaced' WHERE id = (SELECT min(id) FROM project_location WHERE project_id = $1)",
        "UPDATE project_location SET disclosure = 'withheld' WHERE id = (SELECT max(id) FROM project_location WHERE project_id = $1)",
        "DELETE FROM project_location WHERE id = (SELECT max(id) FROM project_location WHERE project_id = $1)",
        "UPDATE project_location SET disclosure = 'withheld' WHERE project_id = $1",
        "DELETE FROM project_location WHERE project_id = $1",
    ];
    for sql in steps {
        db.exec(sql, (pid,)).await;
        assert_eq!(db.scalar::<i64>(DRIFT, ()).await, 0, "after {sql}");
    }
    // no location left, a progress report: the row stays for the report alone
    let (n, geojson, pct): (i32, Option<String>, Option<f64>) = db
        .row(
            "SELECT locations, geojson, physical_pct::float8 FROM project_feature WHERE project_id = $1",
            (pid,),
        )
        .await;
    assert_eq!((n, geojson, pct), (0, None, Some(7.25)));
    // a new project: no location, no report yet, no row
    let new: i64 = db
        .scalar(
            "INSERT INTO project (code, title_fr, status, is_public, source) \
             VALUES ('STORED-1', 'Nouveau', 'identified', true, 'test') RETURNING id",
            (),
        )
        .await;
    let rows: i64 = db
        .scalar(
            "SELECT count(*) FROM project_feature WHERE project_id = $1",
            (new,),
        )
        .await;
    assert_eq!(
        rows, 0,
        "a project with neither locations nor reports has no stored feature"
    );
    // its first progress report: a row for the report alone, the same as recomputed
    db.exec(
        "INSERT INTO project_event (project_id, project_code, kind, author, physical_pct, at) \
         SELECT id, code, 'progress', 'test', 40, now() FROM project WHERE id = $1",
        (new,),
    )
    .await;
    assert_eq!(db.scalar::<i64>(DRIFT, ()).await, 0, "after a first report");
    let (n, pct): (i32, Option<f64>) = db
        .row(
            "SELECT locations, physical_pct::float8 FROM project_feature WHERE project_id = $1",
            (new,),
        )
        .await;
    assert_eq!((n, pct), (0, Some(40.0)));
    // a unit's boundary edited in SQL: its stored text follows (a generated column)
    db.exec(
        "UPDATE admin_unit SET geom = ST_Multi(ST_Buffer(geom, 0.0001)) WHERE level = 'municipality' AND code = '1111' AND valid_to IS NULL",
        (),
    )
    .await;
    // deleting a project drops its stored feature with it
    let other: i64 = db
        .scalar(
            "SELECT project_id FROM project_feature ORDER BY 1 LIMIT 1",
            (),
        )
        .await;
    db.exec("DELETE FROM project WHERE id = $1", (other,)).await;
    assert_eq!(
        db.scalar::<i64>(DRIFT, ()).await,
        0,
        "after the unit edit and the project deletion"
    );
    // a truncate recomputes every project: what is left is the progress reports
    db.exec("TRUNCATE project_location", ()).await;
    assert_eq!(
        db.scalar::<i64>(DRIFT, ()).await,
        0,
        "after TRUNCATE project_location"
    );
    let left: i64 = db
        .scalar(
            "SELECT count(*) FROM project_feature WHERE locations <> 0 OR geojson IS NOT NULL",
            (),
        )
        .await;
    assert_eq!(left, 0);
}

/// `id → geometry` of a whole collection as `key` (None: anonymous) reads it.
async fn geometries(
    srv: &common::TestServer,
    coll: &str,
    key: Option<&str>,
) -> Vec<(Value, Value)> {
    let r = srv
        .get_with(&format!("/collections/{coll}/items?limit=1000"), key)
        .await;
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    body["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["id"].clone(), f["geometry"].clone()))
        .collect()
}

#[tokio::test]
async fn items_print_the_stored_text_only_to_whom_it_belongs() {
    let (db, srv, admin) = common::sample_server_with_admin().await;
    // a displaced location: the public geometry differs from the exact one
    let (pid, lid): (i64, i64) = db
        .row("SELECT l.project_id, l.id FROM project_location l JOIN project p ON p.id = l.project_id \
              WHERE p.is_public AND l.precision = 'exact' ORDER BY l.id LIMIT 1", ())
        .await;
    db.exec(
        "UPDATE project_location SET disclosure = 'displaced' WHERE id = $1",
        (lid,),
    )
    .await;
    let live = |scope: &'static str| {
        format!(
            "SELECT ST_AsGeoJSON(ST_Collect(mk_location_geom(l.geom, l.public_geom, l.id, p.partner, {scope}) \
             ORDER BY l.id), 7)::json FROM project p JOIN project_location l ON l.project_id = p.id WHERE p.id = $1"
        )
    };
    let public: Value = db
        .scalar(&live("false, NULL::text, '{}'::text[]"), (pid,))
        .await;
    let exact: Value = db
        .scalar(&live("true, NULL::text, '{}'::text[]"), (pid,))
        .await;
    assert_ne!(public, exact, "the displaced location moved");
    for (key, want) in [(None, &public), (Some(admin.as_str()), &exact)] {
        let all = geometries(&srv, "projects", key).await;
        let got = all.iter().find(|(id, _)| id == &Value::from(pid)).unwrap();
        assert_eq!(&got.1, want, "project {pid} as {key:?}");
        let one = srv
            .get_with(&format!("/collections/projects/items/{pid}"), key)
            .await;
        let one: Value = one.json().await.unwrap();
        assert_eq!(&one["geometry"], want, "one project {pid} as {key:?}");
    }
    // municipalities: the printed geometry is PostGIS's text, number for number
    let munis = geometries(&srv, "municipalities", None).await;
    assert_eq!(munis.len(), 350);
    let computed: Vec<(String, Value)> = db
        .rows("SELECT code, ST_AsGeoJSON(geom, 7)::json FROM admin_unit_current WHERE level = 'municipality' ORDER BY code", ())
        .await;
    for ((id, geom), (code, want)) in munis.iter().zip(&computed) {
        assert_eq!(id, &Value::from(code.as_str()));
        assert_eq!(geom, want, "municipality {code}");
    }
}
