//! The indicator rows stored once per data version (migration 0024, docs/planning.md "Indicator
//! rows"): after writes that change the figures, the stored rows, the served `indicators` tiles and
//! the `indicators-*` collections equal what `mk_unit_indicators` computes on the spot.
use crate::common::{self, TestDb, TestServer};
use crate::planning::{location, project};

use mokhattat::tiles::{
    filter::TileFilters,
    scope::TileScope,
    source::Source,
    sql::{build, TileQuery},
};
use mvt_reader::Reader;
use serde_json::Value;
use sqlx::Execute;
use std::collections::BTreeMap;

/// What the layers read (`src/layers/indicators.rs`), and the same rows computed on the spot.
/// A point in Tunis.
const IN_TUNIS: &str = "POINT(10.1658 36.7992)";
const STORED: &str = "(SELECT * FROM unit_indicators_layer WHERE level = 'municipality') t";
const ON_THE_SPOT: &str =
    "(SELECT i.*, u.geom, u.geom_3857 FROM mk_unit_indicators('municipality', NULL) i \
     JOIN admin_unit u ON u.id = i.unit_id) t";

/// Rows stored but not computed now, and computed now but not stored (every column).
async fn stored_vs_computed(db: &TestDb) -> (i64, i64) {
    db.row(
        "SELECT (SELECT count(*) FROM (SELECT * FROM unit_indicator_row
                                       EXCEPT ALL SELECT * FROM mk_unit_indicators(NULL, NULL)) a),
                (SELECT count(*) FROM (SELECT * FROM mk_unit_indicators(NULL, NULL)
                                       EXCEPT ALL SELECT * FROM unit_indicator_row) b)",
        (),
    )
    .await
}

/// The tile as the tile SQL encodes it over the rows computed on the spot.
async fn reference_tile(db: &TestDb, z: u8, x: u32, y: u32) -> Vec<u8> {
    let (filters, scope) = (TileFilters::default(), TileScope::anonymous());
    let q = TileQuery {
        sources: &[Source::Indicators],
        z,
        x,
        y,
        filters: &filters,
        scope: &scope,
    };
    let mut qb = build(&q);
    let sql = qb.sql().to_string();
    assert!(sql.contains(STORED), "the tile SQL reads the stored rows");
    let sql = sql.replace(STORED, ON_THE_SPOT);
    let args = qb.build().take_arguments().unwrap().unwrap_or_default();
    sqlx::query_scalar_with::<_, Vec<u8>, _>(&sql, args)
        .fetch_one(&db.pool)
        .await
        .expect("the reference tile")
}

/// The tiles compared: every band (z0–4, the pieces of z5–11, exact geometry from z12) around
/// Tunis, where the new project is, and Sousse.
fn tiles() -> Vec<(u8, u32, u32)> {
    let mut v = Vec::new();
    for (lon, lat) in [(10.1658, 36.7992), (10.6, 35.8)] {
        for z in [0, 3, 5, 7, 9, 11, 12, 14] {
            let (x, y) = common::tile_of(lon, lat, z);
            v.push((z, x, y));
        }
    }
    v
}

/// The features of a tile, each as its id, geometry and properties in name order, sorted.
fn features(tile: &[u8]) -> Vec<String> {
    if tile.is_empty() {
        return Vec::new();
    }
    let reader = Reader::new(tile.to_vec()).expect("a valid vector tile");
    assert_eq!(reader.get_layer_names().unwrap(), ["indicators"]);
    let mut out: Vec<String> = reader
        .get_features(0)
        .unwrap()
        .into_iter()
        .map(|f| {
            let props: BTreeMap<_, _> = f.properties.unwrap_or_default().into_iter().collect();
            format!("{:?} {:?} {props:?}", f.id, f.geometry)
        })
        .collect();
    out.sort();
    out
}

async fn served_tile(srv: &TestServer, z: u8, x: u32, y: u32) -> Vec<u8> {
    let r = srv.get(&format!("/tiles/indicators/{z}/{x}/{y}.pbf")).await;
    let status = r.status().as_u16();
    let body = r.bytes().await.unwrap().to_vec();
    match status {
        200 => body,
        204 => Vec::new(),
        s => panic!("tile {z}/{x}/{y}: {s}"),
    }
}

/// Every item of a collection, keyed by code, in the API's order.
async fn items(srv: &TestServer, collection: &str) -> Vec<Value> {
    let (status, page) = srv
        .get_json(&format!("/collections/{collection}/items?limit=1000"))
        .await;
    assert_eq!(status, 200, "{page}");
    page["features"].as_array().unwrap().clone()
}

fn collection_of(level: &str) -> &'static str {
    match level {
        "municipality" => "indicators-municipalities",
        "delegation" => "indicators-delegations",
        _ => "indicators-governorates",
    }
}

/// The collection's properties as the layer registry defines them, over the on-the-spot rows.
async fn reference_items(db: &TestDb, level: &str) -> Vec<Value> {
    let layer = mokhattat::layers::LAYERS
        .iter()
        .find(|l| l.id == collection_of(level))
        .expect("the collection");
    let props: Vec<String> = layer
        .props
        .iter()
        .map(|p| format!("'{}', {}", p.name, p.sql))
        .collect();
    let from = ON_THE_SPOT.replace("'municipality'", &format!("'{level}'"));
    let sql = format!(
        "SELECT json_build_object('id', t.code, 'properties', json_build_object({}))
         FROM {from} ORDER BY t.code",
        props.join(", ")
    );
    db.rows::<(Value,)>(&sql, ())
        .await
        .into_iter()
        .map(|(v,)| v)
        .collect()
}

#[tokio::test]
async fn stored_indicator_rows_give_the_tiles_and_items_computed_on_the_spot() {
    let (db, srv) = common::sample_server().await;
    let tunis_budget = || {
        db.scalar::<Option<String>>(
            "SELECT budget_tnd::text FROM unit_indicator_row WHERE level = 'municipality' AND code = '1111'",
            (),
        )
    };
    let before = tunis_budget().await;
    assert_eq!(stored_vs_computed(&db).await, (0, 0));

    // Writes that change the figures: a new project in Tunis, its location, a funding line, and
    // a transaction of several statements (the rows are stored once, at its commit).
    let pid = project(&db.pool, "T-ROWS", "road", "1234567.891").await;
    location(&db.pool, pid, "exact", None, IN_TUNIS).await;
    db.exec(
        "INSERT INTO funding_line (project_id, source_kind, funder, amount, amount_tnd)
         VALUES ($1, 'donor_grant', 'GIZ', 1000, 1000)",
        (pid,),
    )
    .await;
    let mut tx = db.pool.begin().await.unwrap();
    sqlx::query("UPDATE project SET budget_tnd = budget_tnd + 1 WHERE id = $1")
        .bind(pid)
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO population (level, code, year, population, source)
         VALUES ('municipality', '1111', 2031, 1234567, 'test projection')",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let after = tunis_budget().await;
    assert_ne!(before, after, "the new project changes Tunis's budget");
    assert_eq!(stored_vs_computed(&db).await, (0, 0), "stored = computed");
    let stale: i64 = db
        .scalar("SELECT count(*) FROM unit_indicator_stale", ())
        .await;
    assert_eq!(stale, 0, "no transaction left marked");

    // The served tiles hold the features the tile SQL encodes over the rows computed on the spot:
    // the same geometry, id and properties (the order of features follows the query plan).
    let mut non_empty = 0;
    for (z, x, y) in tiles() {
        let served = served_tile(&srv, z, x, y).await;
        let reference = reference_tile(&db, z, x, y).await;
        let served = features(&served);
        assert_eq!(served, features(&reference), "tile {z}/{x}/{y}");
        non_empty += usize::from(!served.is_empty());
    }
    assert!(non_empty >= 14, "{non_empty} tiles with features");

    // The collections' items equal the registry's properties over the on-the-spot rows.
    for level in ["municipality", "delegation", "governorate"] {
        let collection = collection_of(level);
        let served = items(&srv, collection).await;
        let reference = reference_items(&db, level).await;
        assert_eq!(served.len(), reference.len(), "{collection}");
        let mut served: Vec<(String, Value)> = served
            .iter()
            .map(|f| {
                (
                    f["id"].as_str().unwrap().to_string(),
                    f["properties"].clone(),
                )
            })
            .collect();
        served.sort_by(|a, b| a.0.cmp(&b.0));
        for ((id, props), r) in served.iter().zip(&reference) {
            assert_eq!(Some(id.as_str()), r["id"].as_str(), "{collection}");
            assert_eq!(props, &r["properties"], "{collection}/{id}");
        }
    }
    let tunis = items(&srv, "indicators-municipalities")
        .await
        .into_iter()
        .find(|f| f["id"] == "1111")
        .unwrap();
    assert_eq!(tunis["properties"]["population"], 1234567);
    assert_eq!(tunis["geometry"]["type"], "MultiPolygon");
}

/// A write that does not change the inputs stores nothing; one that does is stored before its
/// transaction commits, and a rolled-back one leaves the rows as they were.
#[tokio::test]
async fn indicator_rows_follow_commits_only() {
    let db = common::sample_db().await;
    let stamp = || {
        db.scalar::<i64>(
            "SELECT (xmin::text)::bigint FROM unit_indicator_row ORDER BY unit_id LIMIT 1",
            (),
        )
    };
    let first = stamp().await;
    db.exec(
        "UPDATE landuse_zone SET label_fr = label_fr WHERE id = (SELECT min(id) FROM landuse_zone)",
        (),
    )
    .await;
    assert_eq!(
        stamp().await,
        first,
        "no input changed: rows not stored again"
    );

    let mut tx = db.pool.begin().await.unwrap();
    sqlx::query(
        "UPDATE population SET population = population + 1 WHERE level = 'municipality' AND code = '1111'",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(stamp().await, first, "rolled back: rows as they were");
    assert_eq!(stored_vs_computed(&db).await, (0, 0));

    db.exec(
        "UPDATE population SET population = population + 1 WHERE level = 'municipality' AND code = '1111'",
        (),
    )
    .await;
    assert_ne!(stamp().await, first, "stored again at the commit");
    assert_eq!(stored_vs_computed(&db).await, (0, 0));
}
