//! Precomputed cells of the `projects` tiles (docs/scale.md, "Precomputed cells"): an anonymous,
//! unfiltered tile reads its dense cells from `tile_cell`, kept by the database at commit; it must
//! be the same tile as the live clustering of the same rows, and the cells must stay the exact
//! count of their rows through visibility changes, deletions, moves and rollbacks.
use crate::common::{self, TestDb, TestServer};

use mokhattat::config::ConnLimits;

/// Every feature of the `projects` layer of a tile as comparable text (geometry and properties),
/// sorted.
async fn tile(srv: &TestServer, path: &str, key: Option<&str>) -> Vec<String> {
    let r = srv.get_with(path, key).await;
    if r.status().as_u16() == 204 {
        return vec![];
    }
    assert_eq!(r.status().as_u16(), 200, "{path}");
    let body = r.bytes().await.unwrap();
    // without the layer name and id: a cell point and its rows compare by what is drawn
    let mut drawn: Vec<String> = common::tile_features(&body, Some("projects"))
        .into_iter()
        .map(|f| f.splitn(3, ' ').nth(2).unwrap().to_string())
        .collect();
    drawn.sort();
    drawn
}

/// The `locations` counts of the points standing for dense cells of a tile.
fn clusters(features: &[String]) -> Vec<i64> {
    features
        .iter()
        .filter(|f| !f.contains("\"code\""))
        .filter_map(|f| {
            let at = f.find("(\"locations\", ")? + 14;
            let v = &f[at..];
            let n: String = v
                .chars()
                .skip_while(|c| !c.is_ascii_digit())
                .take_while(|c| c.is_ascii_digit())
                .collect();
            n.parse().ok()
        })
        .collect()
}

/// A server without a tile cache (every tile is computed), on the sample plus `n` generated
/// locations of one public project around the centre of the municipality 1111 (Tunis): points,
/// lines and small polygons over ~3 km, a few standing for the municipality itself.
async fn dense(n: i32) -> (TestDb, TestServer, (f64, f64)) {
    let db = common::sample_db().await;
    db.exec(
        "INSERT INTO project (code, title_fr, title_ar, status, is_public, partner) \
         VALUES ('CELLS-A', 'Cellules A', 'خلايا أ', 'works_under_way', true, 'giz'), \
                ('CELLS-B', 'Cellules B', 'خلايا ب', 'planned', true, NULL)",
        (),
    )
    .await;
    db.exec(
        "INSERT INTO project_location (project_id, source_id, precision, unit_code, geom) \
         SELECT p.id, 'cells-' || i, CASE WHEN i % 50 = 0 THEN 'municipality' ELSE 'exact' END, \
                CASE WHEN i % 50 = 0 THEN '1111' END, \
                CASE WHEN i % 4 = 0 THEN ST_MakeLine(g, ST_Translate(g, 0.004, 0.002)) \
                     WHEN i % 4 = 1 THEN ST_Buffer(g::geography, 80, 'quad_segs=2')::geometry ELSE g END \
         FROM generate_series(1, $1) i \
         JOIN project p ON p.code = CASE WHEN i % 3 = 0 THEN 'CELLS-B' ELSE 'CELLS-A' END, \
         LATERAL (SELECT ST_SetSRID(ST_MakePoint(ST_X(c) + (mod(i * 7919, 1000) - 500) * 3e-5, \
                  ST_Y(c) + (mod(i * 104729, 1000) - 500) * 3e-5), 4326) AS g \
                  FROM (SELECT ST_PointOnSurface(geom) c FROM admin_unit WHERE level = 'municipality' \
                        AND code = '1111' AND valid_to IS NULL) u) pt",
        (n,),
    )
    .await;
    let at = common::tunis_centre(&db).await;
    let srv = common::serve_with(
        db.pool.clone(),
        |s| s.tile_cache_bytes = 0,
        &ConnLimits::default(),
    )
    .await;
    (db, srv, at)
}

/// The tiles around `at` (3 × 3 at each clustered zoom) as anonymous (stored cells) and as the
/// live clustering of the same rows (a status filter naming every status: same rows, live path).
async fn compare(db: &TestDb, srv: &TestServer, at: (f64, f64)) -> usize {
    let every: String = db
        .scalar("SELECT string_agg(status, ',') FROM project_status", ())
        .await;
    let mut dense = 0;
    for z in [3u8, 5, 8, 10, 11, 12, 13] {
        let (x, y) = common::tile_of(at.0, at.1, z);
        for (dx, dy) in [
            (-1i32, -1i32),
            (0, -1),
            (1, -1),
            (-1, 0),
            (0, 0),
            (1, 0),
            (-1, 1),
            (0, 1),
            (1, 1),
        ] {
            let (tx, ty) = (x as i32 + dx, y as i32 + dy);
            let path = format!("/tiles/projects/{z}/{tx}/{ty}");
            let stored = tile(srv, &path, None).await;
            let live = tile(srv, &format!("{path}?status={every}"), None).await;
            assert_eq!(stored, live, "{path}: stored cells against live clustering");
            dense += clusters(&stored).len();
        }
    }
    dense
}

/// The stored cells are exactly what recomputing every cell from the rows gives (no drift).
async fn assert_exact(db: &TestDb) {
    let mut tx = db.pool.begin().await.unwrap();
    for s in [
        "CREATE TEMP TABLE kept ON COMMIT DROP AS SELECT * FROM tile_cell",
        "SELECT mk_tile_cells_store(NULL)",
    ] {
        sqlx::query(s).execute(&mut *tx).await.unwrap();
    }
    let differ: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM ((SELECT * FROM kept EXCEPT SELECT * FROM tile_cell) \
         UNION ALL (SELECT * FROM tile_cell EXCEPT SELECT * FROM kept)) d",
    )
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(differ, 0, "stored cells differ from a recount");
}

/// The locations of the point standing for the densest cell of the tile at `at`, zoom 8.
async fn densest(srv: &TestServer, at: (f64, f64), key: Option<&str>) -> i64 {
    let (x, y) = common::tile_of(at.0, at.1, 8);
    let f = tile(srv, &format!("/tiles/projects/8/{x}/{y}"), key).await;
    clusters(&f).into_iter().max().unwrap_or(0)
}

#[tokio::test]
async fn stored_cells_draw_the_same_tiles_as_live_clustering() {
    let (db, srv, at) = dense(3000).await;
    let cells: i64 = db
        .scalar("SELECT count(*) FROM tile_cell WHERE n > 32", ())
        .await;
    assert!(cells > 0, "dense cells are stored");
    let dense = compare(&db, &srv, at).await;
    assert!(dense >= 6, "the tiles hold dense cells: {dense}");
    // the count of a cell is that of its rows: z13 cells add up to every location drawn
    let (cells, rows): (i64, i64) = db
        .row(
            "SELECT (SELECT sum(n)::bigint FROM tile_cell WHERE z = 13), \
             (SELECT count(*) FROM project_location pl JOIN project p ON p.id = pl.project_id \
              WHERE p.is_public AND pl.public_geom IS NOT NULL AND pl.precision <> 'national')",
            (),
        )
        .await;
    assert_eq!(cells, rows);
    assert_exact(&db).await;
}

#[tokio::test]
async fn visibility_deletions_moves_and_rollbacks_keep_cells_exact() {
    let (db, srv, at) = dense(2400).await;
    let admin = common::key(&db, "admin", &[], None).await;
    let before = densest(&srv, at, None).await;
    assert!(before > 32, "{before}");
    let b: i64 = db
        .scalar(
            "SELECT count(*) FROM project_location pl JOIN project p ON p.id = pl.project_id \
             WHERE p.code = 'CELLS-B'",
            (),
        )
        .await;
    // a project made private leaves the anonymous counts, not the admin's
    db.exec(
        "UPDATE project SET is_public = false WHERE code = 'CELLS-B'",
        (),
    )
    .await;
    let private = densest(&srv, at, None).await;
    assert!(private < before, "{private} < {before}");
    assert!(densest(&srv, at, Some(&admin)).await >= before);
    assert_exact(&db).await;
    compare(&db, &srv, at).await;
    let total: i64 = db
        .scalar("SELECT sum(n)::bigint FROM tile_cell WHERE z = 5", ())
        .await;
    db.exec(
        "UPDATE project SET is_public = true WHERE code = 'CELLS-B'",
        (),
    )
    .await;
    let again: i64 = db
        .scalar("SELECT sum(n)::bigint FROM tile_cell WHERE z = 5", ())
        .await;
    assert_eq!(
        again - total,
        b,
        "made public again: its {b} locations count again"
    );
    assert_eq!(densest(&srv, at, None).await, before);
    // a status change, a deletion, a move, all exact
    db.exec(
        "UPDATE project SET status = 'completed' WHERE code = 'CELLS-A'",
        (),
    )
    .await;
    db.exec(
        "DELETE FROM project_location WHERE source_id LIKE 'cells-%' AND right(source_id, 1) = '7'",
        (),
    )
    .await;
    assert_exact(&db).await;
    db.exec(
        "UPDATE project_location SET geom = ST_Translate(geom, 0.5, -0.3) \
         WHERE source_id LIKE 'cells-%' AND right(source_id, 1) = '3'",
        (),
    )
    .await;
    assert_exact(&db).await;
    compare(&db, &srv, at).await;
    // a rolled-back deletion of a whole project leaves the cells as they were
    let kept: Vec<(i16, i32, i32, i32)> = db
        .rows("SELECT z, cx, cy, n FROM tile_cell ORDER BY 1, 2, 3", ())
        .await;
    let mut tx = db.pool.begin().await.unwrap();
    sqlx::query("DELETE FROM project WHERE code = 'CELLS-A'")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    let after: Vec<(i16, i32, i32, i32)> = db
        .rows("SELECT z, cx, cy, n FROM tile_cell ORDER BY 1, 2, 3", ())
        .await;
    assert_eq!(kept, after);
    // the project deleted for good: its locations leave the cells
    db.exec("DELETE FROM project WHERE code = 'CELLS-A'", ())
        .await;
    assert_exact(&db).await;
    assert!(densest(&srv, at, None).await < before);
}

#[tokio::test]
async fn key_holders_still_see_waiting_and_private_rows() {
    let (db, srv, at) = dense(1200).await;
    db.exec(
        "UPDATE project SET is_public = false WHERE code = 'CELLS-A'",
        (),
    )
    .await;
    let giz = common::key(&db, "partner", &[], Some("giz")).await;
    let anonymous = densest(&srv, at, None).await;
    let partner = densest(&srv, at, Some(&giz)).await;
    assert!(partner > anonymous, "{partner} > {anonymous}");
    // and at zoom 14 (never clustered) the partner sees CELLS-A's own locations, anonymous none
    let (x, y) = common::tile_of(at.0, at.1, 14);
    let path = format!("/tiles/projects/14/{x}/{y}");
    let ours = |f: &[String]| f.iter().filter(|f| f.contains("CELLS-A")).count();
    assert_eq!(ours(&tile(&srv, &path, None).await), 0);
    assert!(ours(&tile(&srv, &path, Some(&giz)).await) > 0);
    assert_exact(&db).await;
}
