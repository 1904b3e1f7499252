//! The tile hot paths made cheaper (docs/scale.md, "Hot paths") keep their behaviour: a tile served
//! from the cache carries every header it carried before, each request its own request id, the
//! metrics count every request under its route and status, and tile fills run on sessions that plan
//! a statement once while every other read keeps its plans per value.
use crate::common;

use std::{collections::HashSet, io::Read};

use mokhattat::db::replicas::Reads;

const TILE: &str = "/tiles/municipalities/7/68/50.pbf";

/// The value of one Prometheus counter line (`name{labels} value`), 0 when absent.
fn counter(text: &str, name: &str, labels: &[(&str, &str)]) -> f64 {
    text.lines()
        .filter(|l| l.starts_with(name) && l[name.len()..].starts_with('{'))
        .filter(|l| {
            labels
                .iter()
                .all(|(k, v)| l.contains(&format!("{k}=\"{v}\"")))
        })
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

fn is_uuid_v4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && s.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
        && parts[2].starts_with('4')
        && parts[3].starts_with(['8', '9', 'a', 'b'])
}

#[tokio::test]
async fn a_cached_tile_keeps_its_headers_and_each_request_its_own_id() {
    let (_db, srv) = common::sample_server().await;
    let plain = reqwest::Client::builder().no_gzip().build().unwrap();
    let url = srv.url(TILE);
    let get = |enc: &'static str| plain.get(&url).header("accept-encoding", enc).send();
    // nothing is cached until the change listener is up
    let cache = || async { srv.get_json("/tiles").await.1["cache"].clone() };
    for _ in 0..100 {
        if cache().await["listening"] == true {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let first = get("gzip").await.unwrap();
    assert_eq!(first.status(), 200);
    let etag = first.headers()["etag"].to_str().unwrap().to_string();
    let gz = first.bytes().await.unwrap();
    let before = cache().await;
    let mut ids = HashSet::new();
    for _ in 0..200 {
        let r = get("gzip").await.unwrap();
        let h = r.headers();
        assert_eq!(r.status(), 200);
        assert_eq!(h["content-type"], "application/vnd.mapbox-vector-tile");
        assert_eq!(h["content-encoding"], "gzip");
        assert_eq!(h["cache-control"], "public, max-age=60");
        assert_eq!(h["vary"], "Accept-Encoding");
        assert_eq!(h["etag"].to_str().unwrap(), etag);
        let id = h["x-request-id"].to_str().unwrap().to_string();
        assert!(is_uuid_v4(&id), "request id {id} is not a version 4 UUID");
        assert!(ids.insert(id), "a request id came twice");
        // the compression layer leaves the stored gzip bytes alone
        assert_eq!(r.bytes().await.unwrap(), gz);
    }
    let after = cache().await;
    let hits = |v: &serde_json::Value| v["hits"].as_u64().unwrap();
    assert!(
        hits(&after) >= hits(&before) + 200,
        "served from the cache: {before} → {after}"
    );
    // the gzip bytes are the identity answer, compressed
    let raw = get("identity").await.unwrap();
    assert!(raw.headers().get("content-encoding").is_none());
    let raw = raw.bytes().await.unwrap();
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_end(&mut unzipped)
        .unwrap();
    assert_eq!(unzipped, raw);
    // revalidation keeps a client's own request id
    let r = plain
        .get(&url)
        .header("if-none-match", &etag)
        .header("x-request-id", "my-own-id")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 304);
    assert_eq!(r.headers()["x-request-id"], "my-own-id");
}

#[tokio::test]
async fn metrics_count_every_request_under_its_route_and_status() {
    let (_db, srv) = common::sample_server().await;
    let metrics = || async { srv.get("/metrics").await.text().await.unwrap() };
    let route = [("route", "/tiles/{layers}/{z}/{x}/{y}"), ("method", "GET")];
    let ok = [route[0], route[1], ("status", "200")];
    let bad = [route[0], route[1], ("status", "400")];
    let name = "mokhattat_http_requests_total";
    let before = metrics().await;
    for _ in 0..7 {
        assert_eq!(srv.status(TILE).await, 200);
    }
    for _ in 0..3 {
        assert_eq!(srv.status("/tiles/municipalities/7/999/50").await, 400);
    }
    // an extension method is counted though its handles are not kept
    let r = srv
        .client
        .request(reqwest::Method::from_bytes(b"BREW").unwrap(), srv.url(TILE))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405);
    let after = metrics().await;
    assert_eq!(
        counter(&after, name, &ok) - counter(&before, name, &ok),
        7.0
    );
    assert_eq!(
        counter(&after, name, &bad) - counter(&before, name, &bad),
        3.0
    );
    assert_eq!(counter(&after, name, &[("method", "BREW")]), 1.0);
    let hist = "mokhattat_http_request_duration_seconds_count";
    assert!(counter(&after, hist, &route) >= 10.0, "{after}");
}

#[tokio::test]
async fn tile_fills_plan_once_and_other_reads_plan_per_value() {
    let db = common::sample_db().await;
    let reads = Reads::new(db.pool.clone(), Vec::new());
    let setting = |pool: sqlx::PgPool, name: &'static str| async move {
        sqlx::query_scalar::<_, String>(&format!("SHOW {name}"))
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    assert_eq!(
        setting(reads.pick_tiles(), "plan_cache_mode").await,
        "force_generic_plan"
    );
    assert_eq!(setting(reads.primary_tiles().clone(), "jit").await, "off");
    assert_eq!(setting(reads.pick(), "plan_cache_mode").await, "auto");
    // the tile sessions keep the server's own session options
    assert_eq!(
        setting(reads.pick_tiles(), "idle_in_transaction_session_timeout").await,
        setting(reads.pick(), "idle_in_transaction_session_timeout").await
    );
}

/// Tile sessions are not pinged before each use (a round trip per tile): a session the server
/// closed meanwhile fails its statement, is dropped, and the tile is asked again on another one, so
/// no client sees an error for it.
#[tokio::test]
async fn tile_fills_survive_sessions_the_server_closed() {
    let (db, mut srv) = common::sample_server().await;
    let why = "the test closes every session of the server";
    srv.allow("change listener lost its connection", why).allow(
        "error occurred while testing the connection on-release",
        why,
    );
    // open a few tile sessions at once, then let them go idle in the pool
    let paths: Vec<String> = (60..72)
        .map(|x| format!("/tiles/municipalities/7/{x}/50.pbf"))
        .collect();
    let first = futures_util::future::join_all(paths[..6].iter().map(|p| srv.status(p))).await;
    assert!(first.iter().all(|s| *s == 200 || *s == 204), "{first:?}");
    let closed: i64 = sqlx::query_scalar(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid() \
           AND backend_type = 'client backend'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert!(closed >= 2, "the server's sessions were closed ({closed})");
    // tiles not asked before: each is a fill, on the sessions that were just closed
    for p in &paths[6..] {
        let s = srv.status(p).await;
        assert!(s == 200 || s == 204, "{p}: {s}");
    }
}
