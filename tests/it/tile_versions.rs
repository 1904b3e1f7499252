//! CDN-ready tiles: TileJSON templates carry each source's data version; a tile asked for at the
//! current version is immutable, anything else briefly cacheable, a key's tiles private; a version
//! changes exactly when its source's data does. And an instance whose listener dropped keeps the
//! cached tiles of the sources that did not change meanwhile.
use std::time::Duration;

use crate::common::{self, tile_of, TestServer};
use crate::tiles::{
    codes, cut_listener, get_tile, listener_at_tunis, stats, tunis, wait_invalidations,
    wait_listening,
};

/// The `v` of a source's TileJSON tile template.
async fn version(srv: &TestServer, source: &str) -> String {
    let (s, tj) = srv.get_json(&format!("/tiles/{source}")).await;
    assert_eq!(s, 200);
    let t = tj["tiles"][0].as_str().unwrap();
    t.split_once("?v=")
        .expect("a versioned template")
        .1
        .to_string()
}

async fn cache_control(srv: &TestServer, path: &str, key: Option<&str>) -> String {
    let mut r = srv.client.get(srv.url(path));
    if let Some(k) = key {
        r = r.bearer_auth(k);
    }
    let r = r.send().await.unwrap();
    assert!(r.status().is_success(), "{path}: {}", r.status());
    r.headers()["cache-control"].to_str().unwrap().to_string()
}

#[tokio::test]
async fn versioned_tile_urls_are_immutable_and_change_exactly_with_their_data() {
    let (db, srv, admin) = common::sample_server_with_admin().await;
    wait_listening(&srv).await;
    let (lon, lat) = tunis(&db.pool).await;
    let (x, y) = tile_of(lon, lat, 12);
    let (p0, m0) = (
        version(&srv, "projects").await,
        version(&srv, "municipalities").await,
    );
    let combined = version(&srv, "municipalities,projects").await;
    assert_eq!(combined, format!("{m0}-{p0}"));
    let tile = |v: &str| format!("/tiles/projects/12/{x}/{y}?v={v}");
    let immutable = "public, max-age=31536000, immutable";
    assert_eq!(cache_control(&srv, &tile(&p0), None).await, immutable);
    assert_eq!(
        cache_control(&srv, &format!("/tiles/projects/12/{x}/{y}"), None).await,
        "public, max-age=60"
    );
    assert_eq!(
        cache_control(&srv, &tile(&p0), Some(&admin)).await,
        "private, no-cache"
    );

    // a project in Tunis changes: the projects version moves, the municipalities one does not
    let n = stats(&srv).await["invalidations"].as_u64().unwrap();
    let code: String = sqlx::query_scalar(
        "SELECT p.code FROM project p JOIN project_location l ON l.project_id = p.id \
         WHERE p.is_public AND l.geom_3857 && ST_TileEnvelope(12, $1, $2) ORDER BY p.code LIMIT 1",
    )
    .bind(x as i32)
    .bind(y as i32)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    db.exec(
        "UPDATE project SET title_fr = 'Version suivante' WHERE code = $1",
        (&code,),
    )
    .await;
    wait_invalidations(&srv, n).await;
    let p1 = version(&srv, "projects").await;
    assert_ne!(p1, p0, "the projects version follows the change");
    assert_eq!(
        version(&srv, "municipalities").await,
        m0,
        "the municipalities did not change"
    );
    assert_eq!(cache_control(&srv, &tile(&p1), None).await, immutable);
    assert_eq!(
        cache_control(&srv, &tile(&p0), None).await,
        "public, max-age=60",
        "an old version is not immutable any more"
    );
    let (s, t) = get_tile(&srv, &tile(&p1)).await;
    assert_eq!(s, 200);
    let titles = codes(&t, "projects", "title_fr");
    assert!(
        titles.contains(&"Version suivante".to_string()),
        "{code}: {titles:?}"
    );
    // a version this instance has not heard of: current data, not immutable
    let ahead = format!("{}", p1.parse::<u64>().unwrap() + 1000);
    assert_eq!(
        cache_control(&srv, &tile(&ahead), None).await,
        "public, max-age=60"
    );
    // nothing changes: the version stays
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(version(&srv, "projects").await, p1);
}

#[tokio::test]
async fn a_lost_listener_drops_only_the_sources_changed_meanwhile() {
    let (db, srv, (x, y)) = listener_at_tunis().await;
    let (units, projects) = (
        format!("/tiles/municipalities/12/{x}/{y}"),
        format!("/tiles/projects/12/{x}/{y}"),
    );
    get_tile(&srv, &units).await;
    get_tile(&srv, &projects).await;
    // the listener is cut; while it is away a project changes (its notification is lost)
    cut_listener(&db).await;
    sqlx::query(
        "UPDATE project SET title_fr = 'Changé pendant la coupure' WHERE id IN \
         (SELECT l.project_id FROM project_location l WHERE l.geom_3857 && ST_TileEnvelope(12, $1, $2))",
    )
    .bind(x as i32)
    .bind(y as i32)
    .execute(&db.pool)
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    wait_listening(&srv).await;
    // the unchanged source is still cached, the changed one is fresh
    let hits = stats(&srv).await["hits"].as_u64().unwrap();
    get_tile(&srv, &units).await;
    assert_eq!(
        stats(&srv).await["hits"].as_u64().unwrap(),
        hits + 1,
        "municipalities kept"
    );
    let (_, t) = get_tile(&srv, &projects).await;
    assert!(
        codes(&t, "projects", "title_fr").contains(&"Changé pendant la coupure".to_string()),
        "the projects tile is not the one cached before the cut"
    );
}
