//! Test harness: a real PostGIS for every test.
//!
//! With `DATABASE_URL` set, test databases are created on that server; without it one throwaway
//! embedded cluster (in `target/tmp`) is shared by all test processes. Each test gets its own database,
//! cloned from a template: `empty` (migrated) or `sample` (migrated + the real sample data loaded
//! through the importer). Templates are keyed by a hash of the migrations, the importer and the sample
//! data, so a change rebuilds them.
#![allow(dead_code)]

use std::{
    collections::hash_map::DefaultHasher,
    fs,
    hash::{Hash, Hasher},
    net::SocketAddr,
    path::{Path, PathBuf},
    time::Duration,
};

use mokhattat::{
    config::{ConnLimits, Settings},
    db, AppState,
};
use sqlx::{Connection, PgPool};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn tmp_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
}

pub fn sample_dir() -> PathBuf {
    root().join("sample-data")
}

/// Path of the server binary built by cargo for this test run.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_mokhattat"))
}

fn lock(name: &str) -> fs::File {
    let f = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(tmp_dir().join(name))
        .expect("lock file");
    f.lock().expect("lock");
    f
}

/// URL of a maintenance database on the test server (`postgres` db) — starts the shared cluster if needed.
pub fn admin_url() -> String {
    if let Ok(url) = std::env::var("DATABASE_URL") {
        return with_db(&url, "postgres");
    }
    let _guard = lock("mokhattat-cluster.lock");
    let cluster = db::Cluster::start(&tmp_dir().join("test-cluster"))
        .expect("start the embedded test cluster");
    cluster.url("postgres")
}

/// Replace the database name of a PostgreSQL URL.
pub fn with_db(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map(|(b, q)| (b, Some(q)))
        .unwrap_or((url, None));
    let cut = base.rfind('/').expect("database url has a path");
    let mut out = format!("{}/{}", &base[..cut], name);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

fn hash_tree(h: &mut DefaultHasher, dir: &Path, contents: bool) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        p.file_name().hash(h);
        if p.is_dir() {
            hash_tree(h, &p, contents);
        } else if contents {
            fs::read(&p).unwrap_or_default().hash(h);
        } else {
            fs::metadata(&p).map(|m| m.len()).unwrap_or(0).hash(h);
        }
    }
}

fn template_name(kind: &str) -> String {
    let mut h = DefaultHasher::new();
    // The migrations compiled into this binary (not the files on disk, which may have moved on).
    for m in db::MIGRATOR.iter() {
        m.version.hash(&mut h);
        m.checksum.hash(&mut h);
    }
    for (path, sql) in db::functions::FILES {
        path.hash(&mut h);
        sql.hash(&mut h);
    }
    if kind == "sample" {
        hash_tree(&mut h, &root().join("src/import"), true);
        hash_tree(&mut h, &sample_dir(), false);
    }
    format!("mk_tpl_{kind}_{:016x}", h.finish())
}

async fn ensure_template(kind: &str) -> String {
    let admin = admin_url();
    let name = template_name(kind);
    let _guard = tokio::task::spawn_blocking(move || lock("mokhattat-template.lock"))
        .await
        .unwrap();
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .expect("connect admin");
    let exists: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate)",
    )
    .bind(&name)
    .fetch_one(&mut conn)
    .await
    .unwrap();
    if !exists {
        let building = format!("{name}_building");
        sqlx::query(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            db::quote_ident(&building)
        ))
        .execute(&mut conn)
        .await
        .unwrap();
        sqlx::query(&format!("CREATE DATABASE {}", db::quote_ident(&building)))
            .execute(&mut conn)
            .await
            .unwrap();
        {
            let pool = db::pool(&with_db(&admin, &building), 4)
                .await
                .expect("connect template");
            db::migrate(&pool).await.expect("migrate template");
            if kind == "sample" {
                mokhattat::import::load_sample_if_empty(&pool, &sample_dir())
                    .await
                    .expect("load sample data");
                mokhattat::projects::warm_masks(&pool)
                    .await
                    .expect("build the overlay masks");
            }
            pool.close().await;
        }
        sqlx::query(&format!(
            "ALTER DATABASE {} RENAME TO {}",
            db::quote_ident(&building),
            db::quote_ident(&name)
        ))
        .execute(&mut conn)
        .await
        .unwrap();
        sqlx::query(&format!(
            "ALTER DATABASE {} WITH is_template = true",
            db::quote_ident(&name)
        ))
        .execute(&mut conn)
        .await
        .unwrap();
    }
    conn.close().await.ok();
    name
}

/// A database of its own for one test, dropped when the test ends (also when it fails), so a run
/// holds only as many databases as tests running at once.
pub struct TestDb {
    pub pool: PgPool,
    pub url: String,
    pub name: String,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let name = self.name.clone();
        // Drop may run inside the test's runtime: do the blocking work on a thread of its own.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async {
                if let Ok(mut conn) = sqlx::PgConnection::connect(&admin_url()).await {
                    let _ = drop_db(&mut conn, &name).await;
                    conn.close().await.ok();
                }
            });
        })
        .join();
    }
}

async fn drop_db(conn: &mut sqlx::PgConnection, name: &str) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "DROP DATABASE IF EXISTS {} WITH (FORCE)",
        db::quote_ident(name)
    ))
    .execute(conn)
    .await
    .map(|_| ())
}

/// Drop test databases whose process is gone (a test killed before its `Drop` ran). Only on the
/// embedded cluster, whose test processes all live on this machine.
async fn drop_orphans(conn: &mut sqlx::PgConnection) {
    if std::env::var("DATABASE_URL").is_ok() {
        return;
    }
    let names: Vec<String> =
        sqlx::query_scalar("SELECT datname FROM pg_database WHERE datname LIKE 'mk\\_test\\_%'")
            .fetch_all(&mut *conn)
            .await
            .unwrap_or_default();
    for name in names {
        let pid = name.split('_').nth(3).and_then(|p| p.parse::<u32>().ok());
        if pid.is_some_and(|p| !Path::new(&format!("/proc/{p}")).exists()) {
            let _ = drop_db(conn, &name).await;
        }
    }
}

async fn clone_db(kind: &str) -> TestDb {
    let template = ensure_template(kind).await;
    let admin = admin_url();
    let name = format!("mk_test_{}_{}_{:08x}", kind, std::process::id(), rand_u32());
    let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
    drop_orphans(&mut conn).await;
    let sql = format!(
        "CREATE DATABASE {} TEMPLATE {}",
        db::quote_ident(&name),
        db::quote_ident(&template)
    );
    let mut tries = 0;
    loop {
        match sqlx::query(&sql).execute(&mut conn).await {
            Ok(_) => break,
            Err(e) if tries < 20 && e.to_string().contains("being accessed by other users") => {
                tries += 1;
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            Err(e) => panic!("create test database: {e}"),
        }
    }
    conn.close().await.ok();
    let url = with_db(&admin, &name);
    let pool = db::pool(&url, 8).await.unwrap();
    TestDb { pool, url, name }
}

fn rand_u32() -> u32 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .subsec_nanos()
}

/// A migrated, empty database.
pub async fn empty_db() -> TestDb {
    clone_db("empty").await
}

/// A database with all the sample data loaded.
pub async fn sample_db() -> TestDb {
    clone_db("sample").await
}

/// An in-process server on a free port, driven over real HTTP.
pub struct TestServer {
    pub addr: SocketAddr,
    pub base: String,
    pub client: reqwest::Client,
}

impl TestServer {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    pub async fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        let r = self.get(path).await;
        let status = r.status().as_u16();
        let body = r.json().await.unwrap_or(serde_json::Value::Null);
        (status, body)
    }
}

/// `serve_with` with the default settings and connection limits.
pub async fn serve(pool: PgPool) -> TestServer {
    serve_with(pool, |_| {}, &ConnLimits::default()).await
}

/// An in-process server through the same serving loop as the binary (`web::server::run`), with
/// the settings adjusted by `adjust` and the given connection limits.
pub async fn serve_with(
    pool: PgPool,
    adjust: impl FnOnce(&mut Settings),
    limits: &ConnLimits,
) -> TestServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let base = format!("http://{addr}");
    let mut settings = Settings::for_base_url(&base);
    adjust(&mut settings);
    let app = mokhattat::app(AppState::start(pool, settings));
    let limits = limits.clone();
    tokio::spawn(async move {
        mokhattat::web::server::run(listener, app, &limits, std::future::pending())
            .await
            .unwrap();
    });
    TestServer {
        addr,
        base,
        client: reqwest::Client::new(),
    }
}

/// Free TCP port on loopback (for servers started as separate processes).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The real `mokhattat` binary running as a separate process, its log captured to a file.
pub struct ServerProcess {
    pub child: std::process::Child,
    pub base: String,
    pub port: u16,
    pub log: PathBuf,
}

impl ServerProcess {
    /// Start `mokhattat serve` with `args` and `env` (DATABASE_URL unset unless given), wait until
    /// `/health` answers 200 (or panic with the log after `timeout`).
    pub async fn start(args: &[&str], env: &[(&str, &str)], timeout: Duration) -> Self {
        let port = free_port();
        let log = tmp_dir().join(format!("server-{port}.log"));
        let log_file = fs::File::create(&log).unwrap();
        let mut cmd = std::process::Command::new(bin());
        cmd.arg("serve")
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            .args(args);
        cmd.env_remove("DATABASE_URL")
            .env("RUST_LOG", "info,sqlx=warn");
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.current_dir(root())
            .stdout(log_file.try_clone().unwrap())
            .stderr(log_file);
        let child = cmd.spawn().expect("spawn mokhattat");
        let mut server = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
            port,
            log,
        };
        server.wait_healthy(timeout).await;
        server
    }

    pub async fn wait_healthy(&mut self, timeout: Duration) {
        let deadline = std::time::Instant::now() + timeout;
        let client = reqwest::Client::new();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "server exited with {status} before becoming healthy:\n{}",
                    self.log_text()
                );
            }
            if let Ok(r) = client.get(format!("{}/health", self.base)).send().await {
                if r.status() == 200 {
                    return;
                }
            }
            if std::time::Instant::now() > deadline {
                panic!("server not healthy after {timeout:?}:\n{}", self.log_text());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn log_text(&self) -> String {
        fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// ERROR lines in the log that are not in `expected` (substrings).
    pub fn unexpected_errors(&self, expected: &[&str]) -> Vec<String> {
        self.log_text()
            .lines()
            .filter(|l| l.contains("ERROR"))
            .filter(|l| !expected.iter().any(|e| l.contains(e)))
            .map(str::to_string)
            .collect()
    }

    /// Send SIGTERM and wait for a clean exit.
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        let pid = nix::unistd::Pid::from_raw(self.child.id() as i32);
        let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM);
        self.child.wait().expect("wait server")
    }

    /// SIGKILL: the server gets no chance to clean up.
    pub fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.terminate();
        }
    }
}

/// A new API key on `db` (role `admin`, `planner` with municipality codes, or `partner`).
pub async fn key(
    db: &TestDb,
    role: &str,
    municipalities: &[&str],
    partner: Option<&str>,
) -> String {
    mokhattat::auth::store::create(
        &db.pool,
        mokhattat::auth::store::NewKey {
            name: format!("test {role}"),
            role: role.into(),
            municipalities: municipalities.iter().map(|s| s.to_string()).collect(),
            partner: partner.map(str::to_string),
        },
    )
    .await
    .expect("create key")
    .key
}

/// The XYZ tile holding (lon, lat) at zoom z.
pub fn tile_of(lon: f64, lat: f64, z: u8) -> (u32, u32) {
    let n = f64::from(1u32 << z);
    let x = ((lon + 180.0) / 360.0 * n).floor() as u32;
    let r = lat.to_radians();
    let y =
        ((1.0 - (r.tan() + 1.0 / r.cos()).ln() / std::f64::consts::PI) / 2.0 * n).floor() as u32;
    (x, y)
}
