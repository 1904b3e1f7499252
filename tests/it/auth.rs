//! API keys end to end: the `mokhattat keys` CLI (the real binary), the HTTP administration and
//! the extractor's 401/403 answers.
use crate::common;

use mokhattat::auth::{store, Caller};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

struct Run {
    ok: bool,
    stdout: String,
    stderr: String,
}

async fn keys_cli(db: &common::TestDb, args: &[&str]) -> Run {
    let out = common::cli(db, &[&["keys"], args].concat()).await;
    Run {
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `keys create --name <name> --role <role and scope>`, which must succeed: the key printed.
async fn create_key(db: &common::TestDb, name: &str, role: &[&str]) -> String {
    let r = keys_cli(db, &[&["create", "--name", name, "--role"], role].concat()).await;
    assert!(r.ok, "{}", r.stderr);
    r.stdout.trim().to_string()
}

async fn whoami(srv: &common::TestServer, key: &str) -> (u16, Value) {
    let r = srv.get_as("/api/whoami", key).await;
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

async fn key_count(db: &common::TestDb) -> i64 {
    db.scalar("SELECT count(*) FROM api_key", ()).await
}

#[tokio::test]
async fn key_lifecycle_through_the_cli() {
    let (db, srv) = common::empty_server().await;

    let created = keys_cli(&db, &["create", "--name", "Ops team", "--role", "admin"]).await;
    assert!(created.ok, "{}", created.stderr);
    let key = created.stdout.trim().to_string();
    assert!(key.starts_with("mk_") && key.len() == 55, "{key}");
    assert!(
        created.stderr.contains("shown only once"),
        "{}",
        created.stderr
    );
    let prefix = &key[3..11];

    // Only the hash is stored, and nothing in the row contains the secret.
    let (stored_hash, row): (String, String) = db
        .row(
            "SELECT secret_sha256, row_to_json(k)::text FROM api_key k WHERE prefix = $1",
            (prefix,),
        )
        .await;
    assert_eq!(stored_hash, hex::encode(Sha256::digest(key.as_bytes())));
    assert!(!row.contains(&key[12..]), "the secret is not stored: {row}");

    let (status, me) = whoami(&srv, &key).await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["role"], "admin");
    assert_eq!(me["prefix"], prefix);
    assert_eq!(me["name"], "Ops team");

    let list = keys_cli(&db, &["list"]).await;
    assert!(list.ok, "{}", list.stderr);
    assert!(
        list.stdout.contains(prefix) && list.stdout.contains("Ops team"),
        "{}",
        list.stdout
    );
    assert!(list.stdout.starts_with("PREFIX"), "{}", list.stdout);
    assert!(
        !list.stdout.contains(&key[12..]),
        "no secret in the listing"
    );
    let json_list = keys_cli(&db, &["list", "--json"]).await;
    let parsed: Value = serde_json::from_str(&json_list.stdout).unwrap();
    assert_eq!(parsed[0]["prefix"], prefix);
    assert!(parsed[0].get("secret_sha256").is_none());

    let revoked = keys_cli(&db, &["revoke", prefix]).await;
    assert!(revoked.ok, "{}", revoked.stderr);
    let (status, body) = whoami(&srv, &key).await;
    assert_eq!(status, 401, "{body}");
    assert!(body["description"].as_str().unwrap().contains("revoked"));
    let list = keys_cli(&db, &["list"]).await;
    let line = list.stdout.lines().find(|l| l.starts_with(prefix)).unwrap();
    assert!(
        !line.trim_end().ends_with('-'),
        "revocation date listed: {line}"
    );

    let unknown = keys_cli(&db, &["revoke", "zzzzzzzz"]).await;
    assert!(!unknown.ok);
    assert!(unknown.stderr.contains("zzzzzzzz"), "{}", unknown.stderr);
}

#[tokio::test]
async fn cli_validates_scopes_and_leaves_the_database_unchanged() {
    let db = common::sample_db().await;
    let before = key_count(&db).await;
    for (args, says) in [
        (
            vec!["create", "--name", "WB", "--role", "partner"],
            "--partner",
        ),
        (
            vec!["create", "--name", "Tunis", "--role", "planner"],
            "municipality",
        ),
        (
            vec![
                "create",
                "--name",
                "Nowhere",
                "--role",
                "planner",
                "--municipality",
                "9999",
            ],
            "9999",
        ),
        (
            vec![
                "create",
                "--name",
                "Root",
                "--role",
                "admin",
                "--partner",
                "X",
            ],
            "not scoped",
        ),
    ] {
        let r = keys_cli(&db, &args).await;
        assert!(!r.ok, "{args:?} should fail");
        assert!(r.stderr.contains(says), "{args:?}: {}", r.stderr);
        assert!(r.stdout.trim().is_empty(), "no key printed: {}", r.stdout);
    }
    let bad_role = keys_cli(&db, &["create", "--name", "X", "--role", "root"]).await;
    assert!(!bad_role.ok);
    assert_eq!(key_count(&db).await, before, "nothing was stored");

    // A valid planner key: scope visible in whoami, and the extractor's helpers honour it.
    let key = &create_key(
        &db,
        "Tunis nord",
        &["planner", "--municipality", "1116,1111"],
    )
    .await;
    let srv = common::serve(db.pool.clone()).await;
    let (status, me) = whoami(&srv, key).await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["role"], "planner");
    assert_eq!(me["municipalities"], json!(["1111", "1116"]));
    let caller = store::authenticate(&db.pool, key).await.unwrap();
    assert!(matches!(caller, Caller::Planner { .. }));
    assert!(caller.can_edit_municipality("1116"));
    assert!(!caller.can_edit_municipality("2111"));
    assert!(!caller.can_edit_project(None, &["2111", "1111"]));
    assert!(caller.can_edit_project(None, &["1111"]));
    assert!(!caller.can_edit_project(Some("World Bank"), &["2111"]));
    // what it may read is its scope, bound into mk_project_visible (tests/visibility.rs)
    assert_eq!(caller.visibility().municipalities, vec!["1111", "1116"]);
    assert!(caller.require_admin().is_err());

    let key = create_key(&db, "WB office", &["partner", "--partner", "World Bank"]).await;
    let caller = store::authenticate(&db.pool, &key).await.unwrap();
    assert!(caller.can_edit_project(Some("World Bank"), &["1111"]));
    assert!(!caller.can_edit_project(Some("GIZ"), &["1111"]));
}

struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

impl Answer {
    fn says(&self, text: &str) -> bool {
        self.body["description"]
            .as_str()
            .is_some_and(|d| d.contains(text))
    }
}

async fn call(
    srv: &common::TestServer,
    method: reqwest::Method,
    path: &str,
    key: Option<&str>,
    body: Option<Value>,
) -> Answer {
    let mut req = srv.client.request(method, srv.url(path));
    if let Some(k) = key {
        req = req.bearer_auth(k);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let r = req.send().await.unwrap();
    let (status, headers) = (r.status().as_u16(), r.headers().clone());
    let text = r.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Answer {
        status,
        headers,
        body,
    }
}

#[tokio::test]
async fn protected_endpoints_answer_401_and_403() {
    use reqwest::Method as M;
    let db = common::sample_db().await;
    let admin = common::named_key(&db, "ops", "admin", &[], None).await;
    let planner = common::named_key(&db, "Tunis", "planner", &["1111"], None).await;
    let (admin, planner) = (Some(admin.as_str()), Some(planner.as_str()));
    let srv = common::serve(db.pool.clone()).await;
    const KEYS: &str = "/api/keys";

    let a = call(&srv, M::GET, KEYS, None, None).await;
    assert_eq!(a.status, 401);
    assert!(a.headers.contains_key("www-authenticate"));
    assert!(a.says("Authorization: Bearer"), "{}", a.body);
    let a = call(&srv, M::GET, KEYS, planner, None).await;
    assert_eq!(a.status, 403);
    assert!(a.says("admin"), "{}", a.body);

    let k = admin.unwrap();
    let flip = if &k[20..21] == "X" { "Y" } else { "X" };
    let garbled = format!("{}{flip}{}", &k[..20], &k[21..]);
    let well_formed_unknown = format!("{}{}", &k[..12], "A".repeat(43));
    for bad in ["nonsense", &garbled, &well_formed_unknown] {
        let a = call(&srv, M::GET, KEYS, Some(bad), None).await;
        assert_eq!(a.status, 401, "{bad}");
    }

    let a = call(&srv, M::GET, KEYS, admin, None).await;
    assert_eq!(a.status, 200);
    let (text, p) = (a.body.to_string(), planner.unwrap());
    assert!(text.contains(&p[3..11]), "{text}");
    assert!(
        !text.contains(&p[12..]) && !text.contains("secret"),
        "{text}"
    );

    // Create, use and revoke a key over HTTP.
    let body = json!({"name": "Bardo", "role": "planner", "municipalities": ["1112"]});
    let a = call(&srv, M::POST, KEYS, planner, Some(body.clone())).await;
    assert_eq!(a.status, 403);
    let a = call(&srv, M::POST, KEYS, admin, Some(body)).await;
    assert_eq!(a.status, 201, "{}", a.body);
    let location = a.headers["location"].to_str().unwrap().to_string();
    let new = a.body["key"].as_str().unwrap().to_string();
    assert_eq!(location, format!("/api/keys/{}", &new[3..11]));
    assert!(a.body["warning"].as_str().unwrap().contains("only once"));
    let (status, me) = whoami(&srv, &new).await;
    assert_eq!((status, &me["municipalities"]), (200, &json!(["1112"])));
    let a = call(&srv, M::GET, &location, admin, None).await;
    assert_eq!((a.status, &a.body["name"]), (200, &json!("Bardo")));
    assert!(
        a.body.get("key").is_none(),
        "the key is shown only at creation"
    );

    for (bad, says) in [
        (json!({"name": "x", "role": "partner"}), "partner"),
        (
            json!({"name": "x", "role": "planner", "municipalities": ["0000"]}),
            "0000",
        ),
        (
            json!({"name": "x", "role": "wizard"}),
            "admin, planner, partner",
        ),
        (
            json!({"name": "x", "role": "admin", "scope": "all"}),
            "scope",
        ),
    ] {
        let a = call(&srv, M::POST, KEYS, admin, Some(bad.clone())).await;
        assert_eq!(a.status, 400, "{bad}");
        assert!(a.says(says), "{}", a.body);
    }

    for (key, status) in [(planner, 403), (None, 401), (admin, 204)] {
        let a = call(&srv, M::DELETE, &location, key, None).await;
        assert_eq!(a.status, status, "{}", a.body);
    }
    assert_eq!(whoami(&srv, &new).await.0, 401);
    let a = call(&srv, M::DELETE, "/api/keys/zzzzzzzz", admin, None).await;
    assert_eq!(a.status, 404);
}

#[tokio::test]
async fn the_key_is_read_from_bearer_header_and_query() {
    let db = common::empty_db().await;
    let key = common::named_key(&db, "WB", "partner", &[], Some("World Bank")).await;
    let srv = common::serve(db.pool.clone()).await;
    let url = srv.url("/api/whoami");
    let via_bearer = srv.get_as("/api/whoami", &key).await;
    let via_header = srv
        .client
        .get(&url)
        .header("X-API-Key", &key)
        .send()
        .await
        .unwrap();
    let via_query = srv.get(&format!("/api/whoami?f=json&api_key={key}")).await;
    for r in [via_bearer, via_header, via_query] {
        assert_eq!(r.status(), 200);
        let me: Value = r.json().await.unwrap();
        assert_eq!(me["role"], "partner");
        assert_eq!(me["partner"], "World Bank");
    }
    let (status, me) = srv.get_json("/api/whoami").await;
    assert_eq!((status, me), (200, json!({"role": "anonymous"})));
    assert_eq!(srv.status("/api/whoami?api_key=garbage").await, 401);

    // Use is recorded (asynchronously, at most once a minute).
    let mut used = None;
    for _ in 0..50 {
        used = sqlx::query_scalar::<_, Option<chrono::DateTime<chrono::Utc>>>(
            "SELECT last_used_at FROM api_key WHERE prefix = $1",
        )
        .bind(&key[3..11])
        .fetch_one(&db.pool)
        .await
        .unwrap();
        if used.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(used.is_some(), "last_used_at recorded");
}
