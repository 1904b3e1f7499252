//! A real streaming replica (`mokhattat db replica`, i.e. `pg_basebackup -R`) of a primary of the
//! test's own, replaying 4 s late, read by two Mokhattat instances: what one instance writes shows in
//! the other's next tile and features answer, the writer reads its own write, reads do go to the
//! replica once it has caught up, and a stopped replica costs no failed read.
use std::time::Duration;

use serde_json::{json, Value};
use sqlx::PgPool;

use crate::common::{self, ServerProcess};

/// Replay delay of the replica: longer than everything the test does between a write and the reads
/// it checks, so those reads cannot have been served by the replica.
const DELAY_MS: u64 = 4000;

pub(crate) fn cli(args: &[&str]) -> String {
    let out = std::process::Command::new(common::bin())
        .args(args)
        .env_remove("DATABASE_URL")
        .output()
        .expect("run mokhattat");
    common::ok_stdout(&out)
        .trim()
        .lines()
        .last()
        .unwrap_or("")
        .to_string()
}

async fn replayed_count(replica: &PgPool, code: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM project WHERE code = $1")
        .bind(code)
        .fetch_one(replica)
        .await
        .unwrap()
}

/// Wait until the replica has replayed everything the primary has written so far.
async fn caught_up(primary: &PgPool, replica: &PgPool) {
    let target: i64 = sqlx::query_scalar("SELECT (pg_current_wal_lsn() - '0/0')::bigint")
        .fetch_one(primary)
        .await
        .unwrap();
    for _ in 0..300 {
        let done: Option<i64> =
            sqlx::query_scalar("SELECT (pg_last_wal_replay_lsn() - '0/0')::bigint")
                .fetch_one(replica)
                .await
                .unwrap();
        if done.unwrap_or(0) >= target {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the replica did not catch up");
}

async fn get(srv: &ServerProcess, path: &str) -> (u16, Option<String>, Vec<u8>) {
    let r = reqwest::get(srv.url(path)).await.unwrap();
    let read = r
        .headers()
        .get("mokhattat-read")
        .map(|v| v.to_str().unwrap().to_string());
    (r.status().as_u16(), read, r.bytes().await.unwrap().to_vec())
}

async fn matched(srv: &ServerProcess) -> i64 {
    let (s, _, body) = get(srv, "/collections/projects/items?f=json&limit=50").await;
    assert_eq!(s, 200);
    let v: Value = serde_json::from_slice(&body).unwrap();
    v["numberMatched"].as_i64().unwrap()
}

/// Whether the projects tile over (lon, lat) at z14 carries `code` (MVT strings are stored as is).
async fn tile_has(srv: &ServerProcess, lon: f64, lat: f64, code: &str) -> bool {
    let (x, y) = common::tile_of(lon, lat, 14);
    let (s, _, body) = get(srv, &format!("/tiles/projects/14/{x}/{y}")).await;
    assert!(s == 200 || s == 204, "tile status {s}");
    body.windows(code.len()).any(|w| w == code.as_bytes())
}

#[tokio::test]
async fn two_instances_on_a_lagging_replica_never_serve_stale_data() {
    let dir = common::scratch("replica-");
    let (pdir, rdir) = (dir.path().join("primary"), dir.path().join("replica"));
    let primary_url = cli(&["db", "start", "--data-dir", pdir.to_str().unwrap()]);
    let delay = DELAY_MS.to_string();
    let replica_url = cli(&[
        "db",
        "replica",
        "--from",
        &primary_url,
        "--data-dir",
        rdir.to_str().unwrap(),
        "--apply-delay-ms",
        &delay,
    ]);
    let env = [
        ("DATABASE_URL", primary_url.as_str()),
        ("DATABASE_READ_URL", replica_url.as_str()),
    ];
    let args = ["--no-sample", "--features-cache-mb", "16"];
    let mut a = ServerProcess::start(&args, &env, Duration::from_secs(180)).await;
    let mut b = ServerProcess::start(&args, &env, Duration::from_secs(180)).await;
    for s in [&mut a, &mut b] {
        s.allow("read replica not answering", "the test stops the replica")
            .allow("a read failed on a replica", "the test stops the replica")
            .allow(
                "database unavailable",
                "the first read on the stopped replica fails, then is served from the primary",
            )
            .allow(
                "error occurred while testing the connection on-release",
                "sqlx pings a connection it takes back: one to the stopped replica fails",
            );
    }
    let primary = mokhattat::db::pool(&primary_url, 2).await.unwrap();
    let replica = mokhattat::db::pool(&replica_url, 2).await.unwrap();
    let admin = mokhattat::auth::store::create(
        &primary,
        mokhattat::auth::store::NewKey {
            name: "replica test".into(),
            role: "admin".into(),
            municipalities: vec![],
            partner: None,
        },
    )
    .await
    .unwrap()
    .key;
    caught_up(&primary, &replica).await;

    // B has answered (and cached) the features and the tile before the write
    let (lon, lat, code) = (10.1815, 36.8065, "REPLICA-1");
    assert_eq!(matched(&b).await, 0);
    assert!(!tile_has(&b, lon, lat, code).await);

    let feature = json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {"code": code, "title_fr": "Réplique", "status": "planned"}});
    let r = reqwest::Client::new()
        .post(a.url("/collections/projects/items"))
        .header("content-type", "application/geo+json")
        .bearer_auth(&admin)
        .body(feature.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    assert!(
        r.headers().contains_key("mokhattat-lsn"),
        "a write says its WAL position"
    );
    let item = r.headers()["location"].to_str().unwrap().to_string();
    let item = &item[item.find("/collections").unwrap()..];

    // the writer reads its own write at once, from the primary
    let (s, read, _) = get(&a, item).await;
    assert_eq!(
        (s, read.as_deref()),
        (200, Some("primary")),
        "read-your-writes"
    );
    // the other instance, once it heard of the change, answers with it: tile and features
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(
        matched(&b).await,
        1,
        "B's features answer has the new project"
    );
    assert!(
        tile_has(&b, lon, lat, code).await,
        "B's next tile has the new project"
    );
    assert_eq!(
        replayed_count(&replica, code).await,
        0,
        "the replica had not replayed the write yet: the answers above came from the primary"
    );

    // once the replica has caught up, reads go to it
    caught_up(&primary, &replica).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut on_replica = 0;
    for n in 1..=20 {
        let (s, read, _) = get(&b, &format!("/collections/projects/items?f=json&limit={n}")).await;
        assert_eq!(s, 200);
        on_replica += usize::from(read.as_deref() == Some("replica-0"));
    }
    assert!(
        on_replica >= 15,
        "reads use the caught-up replica: {on_replica} of 20"
    );
    let (_, ready) =
        common::status_and_body(reqwest::get(b.url("/health/ready")).await.unwrap()).await;
    assert_eq!(ready["replicas"][0]["healthy"], true, "{ready}");

    // the replica stops: every read still answers, from the primary
    replica.close().await;
    cli(&["db", "stop", "--data-dir", rdir.to_str().unwrap()]);
    for n in 1..=30 {
        for srv in [&a, &b] {
            let (s, _, _) = get(
                srv,
                &format!("/collections/projects/items?f=json&limit={n}&offset=0"),
            )
            .await;
            assert_eq!(s, 200, "read {n} after the replica stopped");
        }
    }
    let (s, _, _) = get(&b, item).await;
    assert_eq!(s, 200);
    let (_, ready) =
        common::status_and_body(reqwest::get(b.url("/health/ready")).await.unwrap()).await;
    assert_eq!(
        ready["status"], "ready",
        "the primary still serves: {ready}"
    );
    assert_eq!(ready["replicas"][0]["healthy"], false, "{ready}");
    a.finish();
    b.finish();
    primary.close().await;
    cli(&["db", "stop", "--data-dir", pdir.to_str().unwrap()]);
}
