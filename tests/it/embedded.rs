//! The embedded default database, driven through the real binary: first start, reuse, clean stop,
//! recovery after kill -9 (of the server, and of the server and PostgreSQL together), running as root,
//! health 503 while the database is down and recovery when it returns, and the message when
//! PostgreSQL is missing.
use crate::common;

use std::{fs, path::Path, time::Duration};

use common::ServerProcess;
use sqlx::Connection;

fn data_dir(name: &str) -> std::path::PathBuf {
    let d = common::tmp_dir().join(format!("embedded-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    d
}

fn cluster_url(dir: &Path) -> String {
    let port = fs::read_to_string(dir.join("pg.port")).unwrap();
    let password = fs::read_to_string(dir.join("pg.password")).unwrap();
    format!(
        "postgres://mokhattat:{}@127.0.0.1:{}/mokhattat",
        password.trim(),
        port.trim()
    )
}

async fn db_answers(dir: &Path) -> bool {
    match sqlx::PgConnection::connect(&cluster_url(dir)).await {
        Ok(c) => {
            let _ = c.close().await;
            true
        }
        Err(_) => false,
    }
}

fn postmaster_pid(dir: &Path) -> Option<i32> {
    let cluster_dir = fs::read_to_string(dir.join("pg.location"))
        .map(std::path::PathBuf::from)
        .unwrap_or(dir.to_path_buf());
    fs::read_to_string(cluster_dir.join("pg/postmaster.pid"))
        .ok()?
        .lines()
        .next()?
        .trim()
        .parse()
        .ok()
}

async fn connect(dir: &Path) -> sqlx::PgConnection {
    sqlx::PgConnection::connect(&cluster_url(dir))
        .await
        .unwrap()
}

/// Rows in a probe table written through the cluster (data that must survive restarts and crashes).
async fn count_probe(dir: &Path) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM lifecycle_probe")
        .fetch_one(&mut connect(dir).await)
        .await
        .unwrap()
}

async fn write_probe(dir: &Path) {
    let mut c = connect(dir).await;
    for sql in [
        "CREATE TABLE lifecycle_probe (at timestamptz DEFAULT now())",
        "INSERT INTO lifecycle_probe DEFAULT VALUES",
    ] {
        sqlx::query(sql).execute(&mut c).await.unwrap();
    }
}

#[tokio::test]
async fn lifecycle_start_reuse_stop_and_kill9_recovery() {
    let dir = data_dir("lifecycle");
    let d = dir.to_str().unwrap();
    let t = Duration::from_secs(90);

    // 1. First start creates the cluster and serves.
    let mut s = ServerProcess::start(&["--data-dir", d, "--no-sample"], &[], t).await;
    assert!(
        s.log_text()
            .contains("initialised embedded PostgreSQL cluster"),
        "{}",
        s.log_text()
    );
    let pid = postmaster_pid(&dir).expect("postmaster.pid");
    if nix::unistd::geteuid().is_root() {
        // PostgreSQL refuses root: the cluster must run as the postgres user.
        let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
        let uid_line = status
            .lines()
            .find(|l| l.starts_with("Uid:"))
            .unwrap()
            .to_string();
        let pg_uid = nix::unistd::User::from_name("postgres")
            .unwrap()
            .unwrap()
            .uid
            .as_raw();
        assert!(
            uid_line.split_whitespace().nth(1) == Some(&pg_uid.to_string()),
            "postmaster runs as {uid_line}"
        );
    }
    write_probe(&dir).await;
    assert_eq!(count_probe(&dir).await, 1);

    // 2. SIGTERM: clean exit and the cluster is stopped with it.
    let status = s.terminate();
    assert!(status.success(), "exit status {status}\n{}", s.log_text());
    assert!(
        !db_answers(&dir).await,
        "cluster still running after a clean shutdown"
    );
    let port_before = fs::read_to_string(dir.join("pg.port")).unwrap();

    // 3. Second start reuses the cluster (no initdb) with the data kept.
    let mut s = ServerProcess::start(&["--data-dir", d, "--no-sample"], &[], t).await;
    assert!(
        !s.log_text().contains("initialised embedded"),
        "re-initialised:\n{}",
        s.log_text()
    );
    assert_eq!(
        fs::read_to_string(dir.join("pg.port")).unwrap(),
        port_before
    );
    assert_eq!(count_probe(&dir).await, 1);

    // 4. kill -9 of the server: PostgreSQL lives on; the next start adopts it.
    s.kill9();
    assert!(
        db_answers(&dir).await,
        "the cluster should survive the server's death"
    );
    let mut s = ServerProcess::start(&["--data-dir", d, "--no-sample"], &[], t).await;
    assert_eq!(count_probe(&dir).await, 1);

    // 5. kill -9 of the server and of the postmaster (a crash): the next start recovers.
    s.kill9();
    let pid = postmaster_pid(&dir).unwrap();
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pid),
        nix::sys::signal::Signal::SIGKILL,
    )
    .unwrap();
    for _ in 0..50 {
        if !db_answers(&dir).await {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut s = ServerProcess::start(&["--data-dir", d, "--no-sample"], &[], t).await;
    s.allow(
        "removing the stale lock files of a PostgreSQL that is gone",
        "the postmaster was killed with SIGKILL just above",
    );
    assert_eq!(count_probe(&dir).await, 1, "data lost after crash recovery");
    s.check.assert_clean();
    assert!(s.terminate().success());
    assert!(!db_answers(&dir).await);
    let _ = fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn health_is_503_while_the_database_is_down_and_recovers() {
    let dir = data_dir("health");
    let d = dir.to_str().unwrap();
    let mut s = ServerProcess::start(
        &["--data-dir", d, "--no-sample"],
        &[],
        Duration::from_secs(90),
    )
    .await;
    // This test stops the database under the running server: these lines are what it provokes.
    let why = "the test stops the database";
    s.allow("change listener lost its connection", why)
        .allow("health check: database down", why)
        .allow("response failed classification=Status code: 503", why)
        .allow("time to acquire exceeded slow threshold", why)
        .allow("locate index not built", why)
        .allow("error occurred while testing the connection", why);
    let client = reqwest::Client::new();
    let db = |cmd: &str| {
        let out = std::process::Command::new(common::bin())
            .args(["db", cmd, "--data-dir", d])
            .env_remove("DATABASE_URL")
            .output()
            .unwrap();
        common::ok_stdout(&out);
    };
    db("stop");
    let mut saw_503 = false;
    for _ in 0..50 {
        let r = client.get(s.url("/health")).send().await.unwrap();
        if r.status() == 503 {
            let body: serde_json::Value = r.json().await.unwrap();
            assert_eq!(body["database"]["status"], "down");
            saw_503 = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(saw_503, "health never reported the database down");
    db("start");
    let mut recovered = false;
    for _ in 0..75 {
        if client.get(s.url("/health")).send().await.unwrap().status() == 200 {
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(
        recovered,
        "server did not recover after the database came back:\n{}",
        s.log_text()
    );
    drop(s);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn missing_postgresql_is_one_clear_message() {
    let dir = data_dir("missing");
    let out = std::process::Command::new(common::bin())
        .args(["serve", "--no-sample", "--data-dir"])
        .arg(&dir)
        .env_remove("DATABASE_URL")
        .env("MOKHATTAT_PG_BINDIR", "/nonexistent/postgresql/bin")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("PostgreSQL server binaries") && err.contains("apt-get install"),
        "{err}"
    );
    let _ = fs::remove_dir_all(&dir);
}
