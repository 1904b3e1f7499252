//! Vector tiles against the real sample data: decoded tiles, filters, generalisation, HTTP caching
//! semantics, and a cache that drops exactly the tiles an SQL edit touches, in every instance.
use crate::common;

use std::{collections::HashMap, time::Duration};

use common::{TestDb, TestServer};
use mvt_reader::{feature::Value, Reader};
use serde_json::Value as Json;
use sqlx::PgPool;

/// One decoded feature: its geometry kind and properties.
#[derive(Debug, Clone)]
pub(crate) struct Feat {
    kind: &'static str,
    props: HashMap<String, Value>,
}

impl Feat {
    fn s(&self, k: &str) -> Option<String> {
        match self.props.get(k) {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Int(i)) | Some(Value::SInt(i)) => Some(i.to_string()),
            Some(Value::UInt(u)) => Some(u.to_string()),
            Some(Value::Double(d)) => Some(d.to_string()),
            Some(Value::Float(f)) => Some(f.to_string()),
            _ => None,
        }
    }
}

fn decode(bytes: &[u8]) -> HashMap<String, Vec<Feat>> {
    let reader = Reader::new(bytes.to_vec()).expect("a valid vector tile");
    let mut out = HashMap::new();
    for (i, name) in reader.get_layer_names().unwrap().into_iter().enumerate() {
        let feats = reader
            .get_features(i)
            .unwrap()
            .into_iter()
            .map(|f| Feat {
                kind: match f.geometry {
                    geo_types::Geometry::Point(_) | geo_types::Geometry::MultiPoint(_) => "point",
                    geo_types::Geometry::LineString(_)
                    | geo_types::Geometry::MultiLineString(_) => "line",
                    _ => "polygon",
                },
                props: f.properties.unwrap_or_default(),
            })
            .collect();
        out.insert(name, feats);
    }
    out
}

use common::tile_of;

async fn point_of(pool: &PgPool, sql: &str) -> (f64, f64) {
    sqlx::query_as::<_, (f64, f64)>(sql)
        .fetch_one(pool)
        .await
        .expect("a point")
}

pub(crate) async fn tunis(pool: &PgPool) -> (f64, f64) {
    point_of(
        pool,
        "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) p FROM admin_unit \
                    WHERE level = 'municipality' AND code = '1111' AND valid_to IS NULL) q",
    )
    .await
}

pub(crate) async fn get_tile(srv: &TestServer, path: &str) -> (u16, HashMap<String, Vec<Feat>>) {
    let r = srv.get(path).await;
    let status = r.status().as_u16();
    let body = r.bytes().await.unwrap();
    (
        status,
        if status == 200 {
            decode(&body)
        } else {
            HashMap::new()
        },
    )
}

pub(crate) fn codes(t: &HashMap<String, Vec<Feat>>, layer: &str, key: &str) -> Vec<String> {
    let mut v: Vec<String> = t
        .get(layer)
        .map(|f| f.iter().filter_map(|f| f.s(key)).collect())
        .unwrap_or_default();
    v.sort();
    v.dedup();
    v
}

pub(crate) async fn stats(srv: &TestServer) -> Json {
    srv.get_json("/tiles").await.1["cache"].clone()
}

pub(crate) async fn wait_listening(srv: &TestServer) {
    for _ in 0..100 {
        if stats(srv).await["listening"] == true {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the tile cache listener did not connect");
}

/// A sample server whose tile cache listens for changes (its log may say the listener was cut),
/// and the z12 tile over Tunis.
pub(crate) async fn listener_at_tunis() -> (TestDb, TestServer, (u32, u32)) {
    let (db, mut srv) = common::sample_server().await;
    srv.allow(
        "change listener lost its connection",
        "this test terminates the listening connection",
    );
    wait_listening(&srv).await;
    let (lon, lat) = tunis(&db.pool).await;
    (db, srv, tile_of(lon, lat, 12))
}

/// Cut the tile cache's notification connections from the database side (at least one).
pub(crate) async fn cut_listener(db: &TestDb) {
    let killed: i64 = db
        .scalar(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
             WHERE datname = current_database() AND query ILIKE 'LISTEN%mokhattat_tiles%'",
            (),
        )
        .await;
    assert!(killed >= 1, "the listening connections were cut");
}

/// Wait until the server has processed more than `n` invalidations.
pub(crate) async fn wait_invalidations(srv: &TestServer, n: u64) {
    for _ in 0..200 {
        if stats(srv).await["invalidations"].as_u64().unwrap() > n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("no invalidation arrived");
}

#[tokio::test]
async fn known_municipality_in_its_tile_at_every_band() {
    let (db, srv) = common::sample_server().await;
    let (lon, lat) = tunis(&db.pool).await;
    for z in [5u8, 8, 11, 12, 14] {
        let (x, y) = tile_of(lon, lat, z);
        let (status, t) = get_tile(&srv, &format!("/tiles/municipalities/{z}/{x}/{y}.pbf")).await;
        assert_eq!(status, 200, "z{z}");
        assert_eq!(t.keys().collect::<Vec<_>>(), vec!["municipalities"]);
        let tunis = t["municipalities"]
            .iter()
            .find(|f| f.s("code").as_deref() == Some("1111") && f.kind == "polygon");
        let tunis = tunis.unwrap_or_else(|| panic!("Tunis (1111) in its z{z} tile"));
        assert_eq!(tunis.s("name_fr").as_deref(), Some("Tunis"));
        assert!(
            tunis.s("name_ar").is_some_and(|n| n.contains("تونس")),
            "{:?}",
            tunis.props
        );
        assert!(tunis.props.keys().all(|k| [
            "code",
            "name_ar",
            "name_fr",
            "name_en",
            "parent_code",
            "area_km2"
        ]
        .contains(&k.as_str())));
    }
    // each unit's label point is in exactly one tile (no repeated names along tile edges)
    for z in [7u8, 12] {
        let (x0, y0) = tile_of(lon, lat, z);
        let mut points = 0;
        for x in x0 - 1..=x0 + 1 {
            for y in y0 - 1..=y0 + 1 {
                let (_, t) = get_tile(&srv, &format!("/tiles/municipalities/{z}/{x}/{y}")).await;
                points += t.get("municipalities").map_or(0, |f| {
                    f.iter()
                        .filter(|f| f.kind == "point" && f.s("code").as_deref() == Some("1111"))
                        .count()
                });
            }
        }
        assert_eq!(points, 1, "z{z}: one label point for Tunis");
    }
    // composite: one layer per source, in one tile
    let (x, y) = tile_of(lon, lat, 12);
    let (status, t) = get_tile(
        &srv,
        &format!("/tiles/municipalities,landuse,projects,facilities,governorates/12/{x}/{y}"),
    )
    .await;
    assert_eq!(status, 200);
    for layer in [
        "municipalities",
        "landuse",
        "projects",
        "facilities",
        "governorates",
    ] {
        assert!(
            t.get(layer).is_some_and(|f| !f.is_empty()),
            "layer {layer} in the composite"
        );
    }
    // OGC API – Tiles: the same tile, row before column
    let ogc = srv
        .get(&format!(
            "/collections/municipalities/tiles/WebMercatorQuad/12/{y}/{x}"
        ))
        .await;
    assert_eq!(ogc.status(), 200);
    assert!(codes(
        &decode(&ogc.bytes().await.unwrap()),
        "municipalities",
        "code"
    )
    .contains(&"1111".to_string()));
}

#[tokio::test]
async fn boundary_tile_carries_both_neighbours_and_bands_have_no_gaps() {
    let (db, srv) = common::sample_server().await;
    // a point in the middle of the longest boundary Tunis shares with a neighbour
    let (code, lon, lat): (String, f64, f64) = sqlx::query_as(
        "SELECT b.code, ST_X(p), ST_Y(p) FROM admin_unit a JOIN admin_unit b ON b.level = 'municipality' \
         AND b.valid_to IS NULL AND b.code <> a.code AND ST_Intersects(a.geom, b.geom), \
         LATERAL (SELECT ST_LineInterpolatePoint(l, 0.5) p, ST_Length(l) len FROM (SELECT (ST_Dump(ST_LineMerge(ST_CollectionExtract( \
           ST_Intersection(ST_Boundary(a.geom), ST_Boundary(b.geom)), 2)))).geom l) d) s \
         WHERE a.level = 'municipality' AND a.code = '1111' AND a.valid_to IS NULL ORDER BY s.len DESC LIMIT 1",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    for z in [7u8, 9, 11, 13] {
        let (x, y) = tile_of(lon, lat, z);
        let (_, t) = get_tile(&srv, &format!("/tiles/municipalities/{z}/{x}/{y}")).await;
        let c = codes(&t, "municipalities", "code");
        assert!(
            c.contains(&"1111".into()) && c.contains(&code),
            "z{z}: both 1111 and {code} in {c:?}"
        );
    }
    // Each band of a governorate's municipalities covers what the exact ones cover: no gaps, no
    // overlaps beyond a pixel's worth along the edges.
    for band in [5i32, 8, 11] {
        let (exact, gen, sum, slack, new_holes, cell): (f64, f64, f64, f64, Vec<f64>, f64) =
            db.row("WITH e AS (SELECT id, geom_3857 g FROM admin_unit WHERE level = 'municipality' \
                   AND valid_to IS NULL AND code LIKE '11%'), \
                 s AS (SELECT g.geom FROM tile_admin_gen g JOIN e ON e.id = g.unit_id WHERE g.band = $1), \
                 ue AS (SELECT ST_Union(g) u FROM e), us AS (SELECT ST_Union(geom) u FROM s), \
                 holes AS (SELECT ST_MakePolygon(ST_InteriorRingN(d.geom, n)) h \
                   FROM us, ST_Dump(us.u) d, generate_series(1, ST_NumInteriorRings(d.geom)) n) \
                 SELECT ST_Area(ue.u), ST_Area(us.u), (SELECT sum(ST_Area(geom)) FROM s), \
                   ST_Perimeter(ue.u) * mk_tile_grid($1), \
                   ARRAY(SELECT ST_Area(h) FROM holes, ue WHERE ST_Covers(ue.u, ST_PointOnSurface(h))), \
                   mk_tile_grid($1) ^ 2 \
                 FROM ue, us", (band,)).await;
        // the outline moves by at most a grid cell (a pixel) …
        assert!(
            (gen - exact).abs() < slack,
            "band {band}: area {gen} vs {exact} (slack {slack})"
        );
        // … neighbours do not overlap …
        assert!(
            (sum - gen) / gen < 0.002,
            "band {band}: overlaps {}",
            sum - gen
        );
        // … and open no gap between them bigger than a pixel (where the source boundaries are not
        // noded, a sub-pixel sliver can remain; the boundary stroke covers it)
        assert!(
            new_holes.iter().all(|a| *a < cell),
            "band {band}: gaps of {new_holes:?} m² (a pixel is {cell} m²)"
        );
    }
}

#[tokio::test]
async fn projects_filters_precision_and_visibility() {
    let (db, srv) = common::sample_server().await;
    let (lon, lat) = tunis(&db.pool).await;
    let (x, y) = tile_of(lon, lat, 6);
    let p = &format!("/tiles/projects/6/{x}/{y}");
    let (_, all) = get_tile(&srv, p).await;
    let all_codes = codes(&all, "projects", "code");
    assert!(all_codes.len() > 10, "{all_codes:?}");
    // unit-precision locations are polygons flagged with their precision, never points
    for f in &all["projects"] {
        let precision = f.s("precision").unwrap();
        assert_ne!(precision, "national", "national locations are not drawn");
        if ["municipality", "delegation", "governorate"].contains(&precision.as_str()) {
            assert_eq!(f.kind, "polygon", "{:?}", f.props);
        }
    }
    assert!(all["projects"]
        .iter()
        .any(|f| f.s("precision").as_deref() == Some("governorate")));
    let count = |t: &HashMap<String, Vec<Feat>>| codes(t, "projects", "code").len();
    let status = |t: &HashMap<String, Vec<Feat>>| codes(t, "projects", "status");
    let (_, done) = get_tile(&srv, &format!("{p}?status=completed")).await;
    assert!(count(&done) > 0 && count(&done) < all_codes.len());
    assert_eq!(status(&done), vec!["completed"]);
    let (_, water) = get_tile(&srv, &format!("{p}?filter=theme%20%3D%20%27water%27")).await;
    assert!(count(&water) > 0 && count(&water) < all_codes.len());
    assert_eq!(codes(&water, "projects", "theme"), vec!["water"]);
    let (_, both) = get_tile(&srv, &format!("{p}?theme=water&status=completed")).await;
    assert!(count(&both) <= count(&water).min(count(&done)));
    let (_, y2005) = get_tile(&srv, &format!("{p}?year=2005")).await;
    assert!(count(&y2005) < all_codes.len());
    let (_, wb) = get_tile(&srv, &format!("{p}?funder=world%20bank")).await;
    assert!(count(&wb) > 0);
    let (_, nobody) = get_tile(&srv, &format!("{p}?funder=nobody")).await;
    assert_eq!(count(&nobody), 0);
    let (_, tunis) = get_tile(&srv, &format!("{p}?municipality=1111")).await;
    assert!(count(&tunis) > 0 && count(&tunis) < all_codes.len());
    let (_, big) = get_tile(&srv, &format!("{p}?filter=budget_tnd%20%3E%20100000000")).await;
    assert!(count(&big) < all_codes.len());
    // a composite applies each filter to the layers that have the property
    let (_, comp) = get_tile(
        &srv,
        &format!("/tiles/municipalities,projects/6/{x}/{y}?status=completed"),
    )
    .await;
    assert_eq!(status(&comp), vec!["completed"]);
    assert!(codes(&comp, "municipalities", "code").len() > 50);

    // a non-public project never shows to anonymous callers, but does to an admin key
    let hidden = all_codes[0].clone();
    db.exec(
        "UPDATE project SET is_public = false WHERE code = $1",
        (&hidden,),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (_, anon) = get_tile(&srv, p).await;
    assert!(!codes(&anon, "projects", "code").contains(&hidden));
    let key = common::key(&db, "admin", &[], None).await;
    let r = srv.get_as(p, &key).await;
    assert_eq!(r.headers()["cache-control"], "private, no-cache");
    assert!(codes(&decode(&r.bytes().await.unwrap()), "projects", "code").contains(&hidden));
}

#[tokio::test]
async fn bad_requests_say_why() {
    let (_db, srv) = common::sample_server().await;
    for (path, why) in [
        (
            "/tiles/projects/6/34/25?filter=theme%20%3D",
            "does not parse",
        ),
        (
            "/tiles/projects/6/34/25?filter=colour%3D%27red%27",
            "queryable properties",
        ),
        (
            "/tiles/projects/6/34/25?filter=budget_tnd%3D%27x%27",
            "a number is expected",
        ),
        (
            "/tiles/projects/6/34/25?filter=T_AFTER(start_year%2C%20DATE(%272020-01-01%27))",
            "not supported",
        ),
        ("/tiles/projects/6/34/25?status=done", "statuses are"),
        ("/tiles/projects/6/34/25?year=soon", "not a year"),
        (
            "/tiles/municipalities/6/34/25?status=completed",
            "does not apply",
        ),
        ("/tiles/municipalities/6/64/25", "not a tile"),
    ] {
        let (status, body) = srv.get_json(path).await;
        assert_eq!(status, 400, "{path}: {body}");
        assert!(
            body["description"].as_str().unwrap().contains(why),
            "{path}: {body}"
        );
    }
    let deep = format!(
        "/tiles/projects/6/34/25?filter={}",
        "NOT%20(".repeat(40) + "status%3D%27x%27" + &")".repeat(40)
    );
    let (status, body) = srv.get_json(&deep).await;
    common::http::assert_says(status, &body, 400, "too expensive");
    assert_eq!(srv.get("/tiles/roads/6/34/25").await.status(), 404);
}

#[tokio::test]
async fn http_semantics_and_discovery() {
    let (_db, srv) = common::sample_server().await;
    let plain = reqwest::Client::builder().no_gzip().build().unwrap();
    let url = srv.url("/tiles/municipalities/7/68/50.pbf");
    let r = plain
        .get(&url)
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["content-type"],
        "application/vnd.mapbox-vector-tile"
    );
    assert_eq!(r.headers()["content-encoding"], "gzip");
    assert_eq!(r.headers()["cache-control"], "public, max-age=60");
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    assert_eq!(&r.bytes().await.unwrap()[..2], &[0x1f, 0x8b]);
    let r = plain
        .get(&url)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 304);
    let r = plain.get(&url).send().await.unwrap();
    assert!(r.headers().get("content-encoding").is_none());
    assert_eq!(r.headers()["etag"].to_str().unwrap(), etag);
    // empty tile (the Atlantic) → 204
    assert_eq!(srv.get("/tiles/municipalities/6/20/25").await.status(), 204);
    // TileJSON 3.0.0 at three addresses, OGC tileset metadata, catalog
    for path in [
        "/tiles/municipalities",
        "/tiles/municipalities.json",
        "/tiles/municipalities/metadata.json",
    ] {
        let (status, tj) = srv.get_json(path).await;
        assert_eq!(status, 200);
        assert_eq!(tj["tilejson"], "3.0.0");
        assert_eq!(tj["vector_layers"][0]["id"], "municipalities");
        assert_eq!(tj["vector_layers"][0]["fields"]["code"], "String");
        // the template carries the data version (tests/it/tile_versions.rs)
        let template = tj["tiles"][0].as_str().unwrap();
        let (path, version) = template.split_once("?v=").unwrap();
        assert!(
            path.ends_with("/tiles/municipalities/{z}/{x}/{y}.pbf"),
            "{template}"
        );
        assert!(version.parse::<u64>().is_ok(), "{template}");
    }
    let (_, ts) = srv
        .get_json("/collections/projects/tiles/WebMercatorQuad")
        .await;
    assert_eq!(ts["dataType"], "vector");
    assert!(common::items(&ts["links"]).any(|l| l["rel"] == "item"
        && l["href"]
            .as_str()
            .unwrap()
            .ends_with("/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}")));
    let (_, sets) = srv.get_json("/collections/projects/tiles").await;
    assert_eq!(
        sets["tilesets"][0]["tileMatrixSetURI"],
        "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
    );
    let (_, cat) = srv.get_json("/tiles").await;
    assert_eq!(cat["tilesets"].as_array().unwrap().len(), 8);
    assert_eq!(cat["tilesets"][0]["qgis"]["zmax"], 14);
    // the landing page prints the QGIS connection of every source
    let html = srv.get_accept("/", "text/html").await.text().await.unwrap();
    for source in ["municipalities", "landuse", "projects", "facilities"] {
        assert!(
            html.contains(&format!(
                "{}/tiles/{source}/{{z}}/{{x}}/{{y}}.pbf",
                srv.base
            )),
            "{source}"
        );
    }
    assert!(html.contains("/styles/planning-qgis.json"));
    // styles, sprites and Arabic glyphs are served locally
    let (_, style) = srv.get_json("/styles/planning.json?lang=ar").await;
    assert!(style["glyphs"].as_str().unwrap().starts_with(&srv.base));
    for path in [
        "/styles/sprites/planning.json",
        "/styles/sprites/planning@2x.png",
        "/fonts/Noto%20Sans%20Regular/1536-1791.pbf",
    ] {
        let r = srv.get(path).await;
        assert_eq!(r.status(), 200, "{path}");
        assert!(r.bytes().await.unwrap().len() > 100, "{path}");
    }
}

#[tokio::test]
async fn sql_edits_drop_exactly_the_touched_tiles_in_every_instance() {
    let db = common::sample_db().await;
    let a = common::serve(db.pool.clone()).await;
    let b = common::serve(db::pool2(&db.url).await).await;
    wait_listening(&a).await;
    wait_listening(&b).await;
    let (lon, lat) = tunis(&db.pool).await;
    let (tx, ty) = tile_of(lon, lat, 12);
    let touched = format!("/tiles/municipalities/12/{tx}/{ty}");
    let (fx, fy) = tile_of(8.13, 33.92, 12); // Tozeur, far away
    let untouched = format!("/tiles/municipalities/12/{fx}/{fy}");
    for srv in [&a, &b] {
        for p in [&touched, &untouched, &touched, &untouched] {
            assert_eq!(get_tile(srv, p).await.0, 200);
        }
        let s = stats(srv).await;
        assert_eq!(
            (s["misses"].as_u64(), s["hits"].as_u64()),
            (Some(2), Some(2)),
            "{s}"
        );
    }
    let inv = [
        stats(&a).await["invalidations"].as_u64().unwrap(),
        stats(&b).await["invalidations"].as_u64().unwrap(),
    ];
    // an edit straight in SQL, as psql or QGIS connected to PostGIS would make it
    db.exec("UPDATE admin_unit SET name_fr = 'Tunis (modifié)' WHERE level = 'municipality' AND code = '1111' AND valid_to IS NULL", ()).await;
    for (i, srv) in [&a, &b].into_iter().enumerate() {
        wait_invalidations(srv, inv[i]).await;
        let (_, t) = get_tile(srv, &touched).await;
        let names = codes(&t, "municipalities", "name_fr");
        assert!(names.contains(&"Tunis (modifié)".to_string()), "{names:?}");
        assert_eq!(get_tile(srv, &untouched).await.0, 200);
        let s = stats(srv).await;
        // the touched tile was read again from the database, the untouched one came from the cache
        assert_eq!(
            (s["misses"].as_u64(), s["hits"].as_u64()),
            (Some(3), Some(3)),
            "{s}"
        );
    }
    // moving a feature invalidates both its old and its new position
    let (ox, oy) = tile_of(lon, lat, 14);
    let old_tile = format!("/tiles/facilities/14/{ox}/{oy}");
    let new_tile = format!(
        "/tiles/facilities/14/{}/{}",
        tile_of(8.134, 33.921, 14).0,
        tile_of(8.134, 33.921, 14).1
    );
    let id: i64 = sqlx::query_scalar("INSERT INTO facility (source_id, kind, name, geom) VALUES ('test:1', 'school', 'École test', ST_SetSRID(ST_MakePoint($1, $2), 4326)) RETURNING id")
        .bind(lon).bind(lat).fetch_one(&db.pool).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let names = |t: &HashMap<String, Vec<Feat>>| codes(t, "facilities", "name");
    assert!(names(&get_tile(&a, &old_tile).await.1).contains(&"École test".to_string()));
    assert!(!names(&get_tile(&a, &new_tile).await.1).contains(&"École test".to_string()));
    let n = stats(&a).await["invalidations"].as_u64().unwrap();
    db.exec(
        "UPDATE facility SET geom = ST_SetSRID(ST_MakePoint(8.134, 33.921), 4326) WHERE id = $1",
        (id,),
    )
    .await;
    wait_invalidations(&a, n).await;
    assert!(!names(&get_tile(&a, &old_tile).await.1).contains(&"École test".to_string()));
    assert!(names(&get_tile(&a, &new_tile).await.1).contains(&"École test".to_string()));
    let metrics = a.text("/metrics").await;
    assert!(
        metrics.contains("mokhattat_tile_cache_hits_total")
            && metrics.contains("mokhattat_tile_cache_misses_total")
    );
}

mod db {
    /// A second pool on the same database, as a second server instance would have.
    pub async fn pool2(url: &str) -> sqlx::PgPool {
        mokhattat::db::pool(url, 4).await.unwrap()
    }
}

#[tokio::test]
async fn projects_with_several_locations_of_every_geometry_type() {
    let (db, srv) = common::sample_server().await;
    let id: i64 = db
        .scalar(
            "INSERT INTO project (code, title_fr, title_ar, theme, status) \
         VALUES ('T-GEOM', 'Voirie et place', 'طريق وساحة', 'transport', 'planned') RETURNING id",
            (),
        )
        .await;
    for (sid, wkt) in [
        ("road", "LINESTRING(10.16 36.80, 10.18 36.81, 10.20 36.80)"),
        (
            "square",
            "POLYGON((10.17 36.79, 10.19 36.79, 10.19 36.80, 10.17 36.80, 10.17 36.79))",
        ),
        ("kiosk", "POINT(10.185 36.805)"),
    ] {
        db.exec(
            "INSERT INTO project_location (project_id, source_id, precision, geom) \
             VALUES ($1, $2, 'exact', ST_GeomFromText($3, 4326))",
            (id, sid, wkt),
        )
        .await;
    }
    for z in [9u8, 13] {
        let (x, y) = tile_of(10.18, 36.80, z);
        let (status, t) = get_tile(&srv, &format!("/tiles/projects/{z}/{x}/{y}")).await;
        assert_eq!(status, 200);
        let mut kinds: Vec<&str> = t["projects"]
            .iter()
            .filter(|f| f.s("code").as_deref() == Some("T-GEOM"))
            .map(|f| f.kind)
            .collect();
        kinds.sort();
        assert_eq!(kinds, vec!["line", "point", "polygon"], "z{z}");
    }
}

#[tokio::test]
async fn the_listener_reconnects_and_keeps_invalidating() {
    let (db, srv, (x, y)) = listener_at_tunis().await;
    let tile = format!("/tiles/municipalities/12/{x}/{y}");
    get_tile(&srv, &tile).await;
    // cut the notification connection from the database side
    cut_listener(&db).await;
    // it comes back by itself (dropping what changed meanwhile: tests/it/tile_versions.rs)
    tokio::time::sleep(Duration::from_millis(300)).await;
    wait_listening(&srv).await;
    let n = stats(&srv).await["invalidations"].as_u64().unwrap();
    get_tile(&srv, &tile).await;
    db.exec("UPDATE admin_unit SET name_fr = 'Tunis (après reconnexion)' WHERE level = 'municipality' AND code = '1111' AND valid_to IS NULL", ()).await;
    wait_invalidations(&srv, n).await;
    let (_, t) = get_tile(&srv, &tile).await;
    assert!(
        codes(&t, "municipalities", "name_fr").contains(&"Tunis (après reconnexion)".to_string())
    );
}

#[tokio::test]
async fn indicator_tiles_and_collections_agree_and_follow_their_changes() {
    let (db, srv) = common::sample_server().await;
    wait_listening(&srv).await;
    let (_, ind) = srv.get_json("/api/indicators?level=municipality").await;
    let tunis_ind = common::items(&ind["units"])
        .find(|u| u["code"] == "1111")
        .expect("Tunis in the indicators")
        .clone();
    let population = tunis_ind["population"].as_i64().unwrap();
    let per_inhabitant = tunis_ind["budget_per_inhabitant"].as_f64().unwrap();
    assert!(
        tunis_ind["project_count"].as_i64().unwrap() > 0,
        "{tunis_ind}"
    );

    // The choropleth collection agrees with /api/indicators.
    let (status, item) = srv
        .get_json("/collections/indicators-municipalities/items/1111")
        .await;
    assert_eq!(status, 200, "{item}");
    let props = &item["properties"];
    assert_eq!(props["population"].as_i64(), Some(population), "{props}");
    assert_eq!(props["project_count"], tunis_ind["project_count"]);
    assert!((props["budget_per_inhabitant"].as_f64().unwrap() - per_inhabitant).abs() < 1e-6);
    assert_eq!(item["geometry"]["type"], "MultiPolygon");

    // And so does the indicators tile that covers Tunis (the municipalities layer stays lean).
    let (lon, lat) = tunis(&db.pool).await;
    let (x, y) = tile_of(lon, lat, 10);
    let path = format!("/tiles/indicators/10/{x}/{y}.pbf");
    let (_, lean) = get_tile(&srv, &format!("/tiles/municipalities/10/{x}/{y}.pbf")).await;
    assert!(lean["municipalities"]
        .iter()
        .all(|f| !f.props.contains_key("population")));
    let tunis_feature = |t: &HashMap<String, Vec<Feat>>| {
        t["indicators"]
            .iter()
            .find(|f| f.s("code").as_deref() == Some("1111") && f.kind == "polygon")
            .expect("Tunis in its tile")
            .clone()
    };
    let (_, t) = get_tile(&srv, &path).await;
    let f = tunis_feature(&t);
    assert_eq!(f.s("population"), Some(population.to_string()));
    let tile_per = f
        .s("budget_per_inhabitant")
        .unwrap()
        .parse::<f64>()
        .unwrap();
    assert!(
        (tile_per - per_inhabitant).abs() < 1e-6,
        "{tile_per} vs {per_inhabitant}"
    );

    // A new population figure entered directly in SQL: the tile drops and shows it.
    db.exec(
        "INSERT INTO population (level, code, year, population, source)
         VALUES ('municipality', '1111', 2030, $1, 'test projection')",
        (population + 1000,),
    )
    .await;
    let mut seen = None;
    for _ in 0..100 {
        let (_, t) = get_tile(&srv, &path).await;
        seen = tunis_feature(&t).s("population");
        if seen == Some((population + 1000).to_string()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(seen, Some((population + 1000).to_string()));
    let (_, item) = srv
        .get_json("/collections/indicators-municipalities/items/1111")
        .await;
    assert_eq!(
        item["properties"]["population"].as_i64(),
        Some(population + 1000)
    );
}
