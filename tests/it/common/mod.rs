//! Test harness: a real PostGIS for every test.
//!
//! With `DATABASE_URL` set, test databases are created on that server; without it one throwaway
//! embedded cluster (in `target/tmp`) is shared by all test processes. Each test gets its own database,
//! cloned from a template: `empty` (migrated) or `sample` (migrated + the real sample data loaded
//! through the importer). Templates are keyed by a hash of the migrations, the importer and the sample
//! data, so a change rebuilds them.
#![allow(dead_code)]

pub mod chromium;
pub mod http;
pub mod qgis;
mod sql;
pub use sql::{item_where, items, strs};

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

/// How long the tests' servers and pools wait for a database connection: the suite runs many
/// servers on two cores, where 5 s (the default) is sometimes not enough; no test is about it.
pub const TEST_ACQUIRE: Duration = Duration::from_secs(30);

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn tmp_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
}

/// A scratch directory under [`tmp_dir`] named `prefix…`, removed when dropped.
pub fn scratch(prefix: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(prefix)
        .tempdir_in(tmp_dir())
        .expect("a scratch directory under target/tmp")
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

async fn run_sql(conn: &mut sqlx::PgConnection, sql: &str) {
    sqlx::query(sql)
        .execute(conn)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
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
        let (b, n) = (db::quote_ident(&building), db::quote_ident(&name));
        for sql in [
            format!("DROP DATABASE IF EXISTS {b} WITH (FORCE)"),
            format!("CREATE DATABASE {b}"),
        ] {
            run_sql(&mut conn, &sql).await;
        }
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
        for sql in [
            format!("ALTER DATABASE {b} RENAME TO {n}"),
            format!("ALTER DATABASE {n} WITH is_template = true"),
        ] {
            run_sql(&mut conn, &sql).await;
        }
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
    let pool = db::pool_with(&url, 8, TEST_ACQUIRE).await.unwrap();
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

/// A new database with nothing in it (not even the migrations), dropped with the value.
pub async fn raw_db() -> TestDb {
    let admin = admin_url();
    let name = format!("mk_test_raw_{}_{:08x}", std::process::id(), rand_u32());
    let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {}", db::quote_ident(&name)))
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.ok();
    let url = with_db(&admin, &name);
    let pool = db::pool_with(&url, 4, TEST_ACQUIRE).await.unwrap();
    TestDb { pool, url, name }
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
    /// WARN/ERROR events this process logged since the server started (see [`inproc_log`]).
    pub check: LogCheck,
}

/// The file where this test process's own `tracing` events of level WARN and above go (installed
/// once, on the first in-process server). nextest runs each test in a process of its own, so what
/// is written after a server started belongs to that test; under plain `cargo test`, a parallel
/// test's warning can fail a neighbour (a false alarm, never a missed warning).
pub fn inproc_log() -> &'static PathBuf {
    static LOG: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    LOG.get_or_init(|| {
        let path = tmp_dir().join(format!("inproc-{}.log", std::process::id()));
        let file = fs::File::create(&path).expect("create the in-process log");
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new("warn"))
            .with_ansi(false)
            .with_writer(std::sync::Mutex::new(file))
            .try_init()
            .expect("the in-process log capture must be the process's only subscriber");
        path
    })
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.check.assert_clean();
    }
}

impl TestServer {
    /// Let WARN/ERROR lines containing `substring` through the check at drop (see
    /// [`ServerProcess::allow`]).
    pub fn allow(&mut self, substring: &str, reason: &str) -> &mut Self {
        self.check
            .allowed
            .push((substring.to_string(), reason.to_string()));
        self
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        fetch(self.client.get(self.url(path))).await
    }

    /// GET, with a bearer key when one is given.
    pub async fn get_with(&self, path: &str, key: Option<&str>) -> reqwest::Response {
        match key {
            Some(k) => self.get_as(path, k).await,
            None => self.get(path).await,
        }
    }

    /// GET with a bearer key.
    pub async fn get_as(&self, path: &str, key: &str) -> reqwest::Response {
        fetch(self.client.get(self.url(path)).bearer_auth(key)).await
    }

    /// GET with an `Accept` header.
    pub async fn get_accept(&self, path: &str, accept: &str) -> reqwest::Response {
        fetch(self.client.get(self.url(path)).header("accept", accept)).await
    }

    /// The body of a GET, as text.
    pub async fn text(&self, path: &str) -> String {
        self.get(path).await.text().await.expect("a text body")
    }

    /// The status of a GET.
    pub async fn status(&self, path: &str) -> u16 {
        self.get(path).await.status().as_u16()
    }

    pub async fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        status_and_body(self.get(path).await).await
    }
}

async fn fetch(request: reqwest::RequestBuilder) -> reqwest::Response {
    request.send().await.expect("request")
}

/// A response's status and JSON body (`Null` when the body is not JSON).
pub async fn status_and_body(r: reqwest::Response) -> (u16, serde_json::Value) {
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(serde_json::Value::Null))
}

/// `method path` on `srv`, with a bearer key and a JSON body if given: (status, JSON body).
pub async fn send(
    srv: &TestServer,
    method: reqwest::Method,
    path: &str,
    key: Option<&str>,
    body: Option<serde_json::Value>,
) -> (u16, serde_json::Value) {
    let mut r = srv.client.request(method, srv.url(path));
    if let Some(k) = key {
        r = r.bearer_auth(k);
    }
    if let Some(b) = body {
        r = r.json(&b);
    }
    status_and_body(r.send().await.expect("request")).await
}

/// Run the `mokhattat` command line on `db` (`MOKHATTAT_DATA_DIR` unset): its output.
pub async fn cli<S: AsRef<std::ffi::OsStr>>(db: &TestDb, args: &[S]) -> std::process::Output {
    tokio::process::Command::new(bin())
        .args(args)
        .env("DATABASE_URL", &db.url)
        .env_remove("MOKHATTAT_DATA_DIR")
        .output()
        .await
        .expect("run mokhattat")
}

/// The stdout of a finished command, which must have succeeded (else panic with its stderr).
pub fn ok_stdout(out: &std::process::Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{}\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// Run a command to its end; it must succeed (else panic naming `what`, with its stderr): its stdout.
pub fn run_ok(cmd: &mut std::process::Command, what: &str) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("run {what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap_or_else(|e| panic!("{what} output is not UTF-8: {e}"))
}

/// A GeoJSON file of the sample data, parsed.
pub fn sample_json(name: &str) -> serde_json::Value {
    let text = fs::read_to_string(sample_dir().join(name)).expect("sample file");
    serde_json::from_str(&text).expect("sample geojson")
}

/// A sample database and a server on it: the opening of most tests.
pub async fn sample_server() -> (TestDb, TestServer) {
    let db = sample_db().await;
    let srv = serve(db.pool.clone()).await;
    (db, srv)
}

/// [`sample_server`] and an admin key on its database.
pub async fn sample_server_with_admin() -> (TestDb, TestServer, String) {
    let (db, srv) = sample_server().await;
    let admin = key(&db, "admin", &[], None).await;
    (db, srv, admin)
}

/// An empty (migrated) database and a server on it.
pub async fn empty_server() -> (TestDb, TestServer) {
    let db = empty_db().await;
    let srv = serve(db.pool.clone()).await;
    (db, srv)
}

/// A sample database and the real server binary on it.
pub async fn sample_process() -> (TestDb, ServerProcess) {
    let db = sample_db().await;
    let srv = ServerProcess::on(&db).await;
    (db, srv)
}

/// `serve_with` with the default settings and connection limits.
pub async fn serve(pool: PgPool) -> TestServer {
    serve_with(pool, |_| {}, &ConnLimits::default()).await
}

/// `serve` with anonymous writes limited to `per_minute` per address, in bursts of `burst`.
pub async fn serve_rate_limited(pool: PgPool, per_minute: u32, burst: u32) -> TestServer {
    let rate = mokhattat::config::RateLimit { per_minute, burst };
    serve_with(pool, |s| s.rate_limit = rate, &ConnLimits::default()).await
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
    let log = inproc_log();
    let check = LogCheck::from_end(log.clone());
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
        client: http::client(),
        check,
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
///
/// When the handle is dropped the server is stopped and its log is read: any WARN or ERROR line
/// not allowed by [`ServerProcess::allow`] fails the test (see [`LogCheck`]).
pub struct ServerProcess {
    pub child: std::process::Child,
    pub base: String,
    pub port: u16,
    pub log: PathBuf,
    pub check: LogCheck,
}

/// A log line without its ANSI colour sequences.
pub fn strip_ansi(line: &str) -> String {
    let mut plain = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI sequence: ESC [ parameters, then a final letter
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            plain.push(c);
        }
    }
    plain
}

/// The level of a line written by the server's `tracing` subscriber (plain text, with or without
/// ANSI colours, or JSON), `None` for anything else (GDAL, PostgreSQL, a panic message).
pub fn log_level(line: &str) -> Option<String> {
    let plain = strip_ansi(line);
    if plain.starts_with('{') {
        let v: serde_json::Value = serde_json::from_str(&plain).ok()?;
        return v["level"].as_str().map(str::to_string);
    }
    // `2026-12-01T11:30:00.123456Z  WARN target: message`
    let mut words = plain.split_whitespace();
    let stamp = words.next()?;
    let level = words.next()?;
    let known = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"];
    (stamp.len() >= 20 && stamp.as_bytes()[4] == b'-' && known.contains(&level))
        .then(|| level.to_string())
}

/// The surprise check on a server log: WARN and ERROR lines are failures unless a test allowed
/// them, each with a substring that narrows it to the line it provokes on purpose and a reason.
pub struct LogCheck {
    pub path: PathBuf,
    pub allowed: Vec<(String, String)>,
    /// Bytes of the file written before the check began (not this check's business).
    pub from: usize,
}

impl LogCheck {
    pub fn new(path: PathBuf) -> Self {
        // Timing warnings depend on how loaded the machine is, not on the code under test (speed
        // is what bench/ measures); every other WARN is a surprise.
        let timing = [
            "time to acquire exceeded slow threshold",
            "slow statement: execution time exceeded alert threshold",
        ];
        Self {
            path,
            allowed: timing
                .iter()
                .map(|t| {
                    (
                        t.to_string(),
                        "machine load, measured by bench/".to_string(),
                    )
                })
                .collect(),
            from: 0,
        }
    }

    /// A check of what is appended to `path` from now on.
    pub fn from_end(path: PathBuf) -> Self {
        let from = fs::metadata(&path).map(|m| m.len() as usize).unwrap_or(0);
        Self {
            from,
            ..Self::new(path)
        }
    }

    /// The WARN and ERROR lines of the log (colours removed) that no allowed substring matches.
    pub fn surprises(&self) -> Vec<String> {
        let text = fs::read_to_string(&self.path).unwrap_or_default();
        text.get(self.from..)
            .unwrap_or_default()
            .lines()
            .map(strip_ansi)
            .filter(|l| matches!(log_level(l).as_deref(), Some("WARN" | "ERROR")))
            .filter(|l| !self.allowed.iter().any(|(s, _)| l.contains(s.as_str())))
            .collect()
    }

    /// Panic (unless already panicking) with the surprising lines.
    pub fn assert_clean(&self) {
        if std::thread::panicking() {
            return;
        }
        let lines = self.surprises();
        assert!(
            lines.is_empty(),
            "unexpected WARN/ERROR lines in the server log {} (allow one with `ServerProcess::allow` and a reason if the test provokes it):\n{}",
            self.path.display(),
            lines.join("\n")
        );
    }
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
            .env("RUST_LOG", "info,sqlx=warn")
            .env(
                "MOKHATTAT_DB_ACQUIRE_TIMEOUT",
                TEST_ACQUIRE.as_secs().to_string(),
            );
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
            check: LogCheck::new(log.clone()),
            log,
        };
        server.wait_healthy(timeout).await;
        server
    }

    /// `mokhattat serve --no-sample` on a test database (two minutes to become healthy).
    pub async fn on(db: &TestDb) -> Self {
        let env = [("DATABASE_URL", db.url.as_str())];
        Self::start(&["--no-sample"], &env, Duration::from_secs(120)).await
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

    /// Let WARN/ERROR lines containing `substring` through the check at drop, for a test that
    /// provokes them on purpose; `reason` says why (it is only there to be read).
    pub fn allow(&mut self, substring: &str, reason: &str) -> &mut Self {
        self.check
            .allowed
            .push((substring.to_string(), reason.to_string()));
        self
    }

    /// Stop the server (if still running) and check its log now, rather than at drop.
    pub fn finish(mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.terminate();
        }
        // Drop runs the check.
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
        self.check.assert_clean();
    }
}

/// A new API key on `db` (role `admin`, `planner` with municipality codes, or `partner`).
pub async fn key(
    db: &TestDb,
    role: &str,
    municipalities: &[&str],
    partner: Option<&str>,
) -> String {
    named_key(db, &format!("test {role}"), role, municipalities, partner).await
}

/// [`key`] with the name the key is listed under.
pub async fn named_key(
    db: &TestDb,
    name: &str,
    role: &str,
    municipalities: &[&str],
    partner: Option<&str>,
) -> String {
    mokhattat::auth::store::create(
        &db.pool,
        mokhattat::auth::store::NewKey {
            name: name.to_string(),
            role: role.into(),
            municipalities: municipalities.iter().map(|s| s.to_string()).collect(),
            partner: partner.map(str::to_string),
        },
    )
    .await
    .expect("create key")
    .key
}

/// The point on the surface of the municipality of Tunis (1111), where the cluster tests put
/// their dense cells: (lon, lat).
pub async fn tunis_centre(db: &TestDb) -> (f64, f64) {
    db.row(
        "SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_PointOnSurface(geom) c FROM admin_unit \
         WHERE level = 'municipality' AND code = '1111' AND valid_to IS NULL) u",
        (),
    )
    .await
}

/// 60 exact points of the project `code` within ~60 m east of [`tunis_centre`] (one cell below
/// zoom 11, tests/it/tile_clusters.rs): where they are, (lon, lat).
pub async fn dense_cell_in_tunis(db: &TestDb, code: &str) -> (f64, f64) {
    db.exec(
        "INSERT INTO project_location (project_id, source_id, precision, geom) \
         SELECT p.id, 'dense-' || i, 'exact', ST_SetSRID(ST_MakePoint(ST_X(c) + i * 1e-5, ST_Y(c)), 4326) \
         FROM project p, generate_series(1, 60) i, \
              (SELECT ST_PointOnSurface(geom) c FROM admin_unit WHERE level = 'municipality' \
               AND code = '1111' AND valid_to IS NULL) u WHERE p.code = $1",
        (code,),
    )
    .await;
    tunis_centre(db).await
}

/// The features of the layer `layer` of a vector tile (every layer when `None`) as comparable
/// text (layer, id, geometry, properties by name), sorted: what the tile says, whatever order its
/// rows came in (the encoder keeps the order of the rows, which a plan may change).
pub fn tile_features(mvt: &[u8], layer: Option<&str>) -> Vec<String> {
    let reader = mvt_reader::Reader::new(mvt.to_vec()).expect("a valid vector tile");
    let names = reader.get_layer_names().expect("the tile's layer names");
    let mut out = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if layer.is_some_and(|l| l != name) {
            continue;
        }
        for f in reader.get_features(i).expect("the layer's features") {
            let mut p: Vec<_> = f.properties.unwrap_or_default().into_iter().collect();
            p.sort_by(|a, b| a.0.cmp(&b.0));
            out.push(format!("{name} {:?} {:?} {:?}", f.id, f.geometry, p));
        }
    }
    out.sort();
    out
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

/// A database of its own with nothing in it (not migrated), dropped like the others.
pub async fn blank_db() -> TestDb {
    let admin = admin_url();
    let name = format!("mk_test_blank_{}_{:08x}", std::process::id(), rand_u32());
    let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
    drop_orphans(&mut conn).await;
    sqlx::query(&format!("CREATE DATABASE {}", db::quote_ident(&name)))
        .execute(&mut conn)
        .await
        .expect("create blank test database");
    conn.close().await.ok();
    let url = with_db(&admin, &name);
    let pool = db::pool_with(&url, 4, TEST_ACQUIRE).await.unwrap();
    TestDb { pool, url, name }
}

/// Percent-encode a query-string value (everything but RFC 3986 unreserved characters).
pub fn enc(s: &str) -> String {
    const COMPONENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(s, COMPONENT).to_string()
}
