//! The harness checks itself: a server log with a WARN line nobody allowed fails the test.
use crate::common;

use std::{io::Write, panic::AssertUnwindSafe};

#[test]
fn log_levels_are_read_in_every_format_the_server_writes() {
    let plain = "2026-12-01T11:30:00.123456Z  WARN mokhattat::web: slow request";
    let ansi = "\u{1b}[2m2026-12-01T11:30:00.123456Z\u{1b}[0m \u{1b}[33m WARN\u{1b}[0m \u{1b}[2mmokhattat\u{1b}[0m: x";
    let json = r#"{"timestamp":"2026-12-01T11:30:00Z","level":"ERROR","fields":{"message":"x"}}"#;
    assert_eq!(common::log_level(plain).as_deref(), Some("WARN"));
    assert_eq!(common::log_level(ansi).as_deref(), Some("WARN"));
    assert_eq!(common::log_level(json).as_deref(), Some("ERROR"));
    // Text that merely mentions a level is not a log line of that level.
    assert_eq!(common::log_level("thread 'x' panicked: WARN ERROR"), None);
    assert_eq!(common::log_level("Warning 1: GDAL says"), None);
}

#[tokio::test]
async fn an_injected_warn_line_fails_the_test_unless_allowed() {
    let db = common::empty_db().await;
    let mut srv = common::ServerProcess::on(&db).await;
    srv.terminate();
    // A real line of this server's log, its level turned into WARN: the check reads the format the
    // binary actually writes.
    let log = srv.log_text();
    let info = log
        .lines()
        .find(|l| common::log_level(l).as_deref() == Some("INFO"))
        .unwrap_or_else(|| panic!("no INFO line in the log:\n{log}"));
    let injected = format!("{} injected surprise", info.replacen("INFO", "WARN", 1));
    assert!(srv.check.surprises().is_empty(), "{log}");
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&srv.log)
        .unwrap();
    writeln!(f, "{injected}").unwrap();
    assert_eq!(srv.check.surprises(), vec![common::strip_ansi(&injected)]);

    // Dropping the handle panics with the line.
    let dropped = std::panic::catch_unwind(AssertUnwindSafe(|| drop(srv)));
    let msg = dropped.expect_err("the drop check let a WARN line through");
    let msg = msg.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(msg.contains("injected surprise"), "{msg}");

    // Allowed by a narrow substring, the same line passes.
    let mut check = common::LogCheck::new(common::tmp_dir().join("harness-allowed.log"));
    std::fs::write(&check.path, format!("{injected}\n")).unwrap();
    assert_eq!(check.surprises().len(), 1);
    check
        .allowed
        .push(("injected surprise".into(), "this test writes it".into()));
    check.assert_clean();
    let _ = std::fs::remove_file(&check.path);
}

/// The in-process server is held to the same rule: a WARN event of this process after it started
/// fails the test at drop.
#[tokio::test]
async fn an_in_process_warning_fails_the_test_unless_allowed() {
    let db = common::empty_db().await;
    let srv = common::serve(db.pool.clone()).await;
    assert_eq!(srv.get("/health").await.status(), 200);
    assert!(srv.check.surprises().is_empty());
    tracing::warn!("injected in-process surprise");
    let dropped = std::panic::catch_unwind(AssertUnwindSafe(|| drop(srv)));
    let msg = dropped.expect_err("the drop check let an in-process WARN through");
    let msg = msg.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(msg.contains("injected in-process surprise"), "{msg}");

    let mut srv = common::serve(db.pool.clone()).await;
    tracing::warn!("allowed in-process line");
    srv.allow("allowed in-process line", "this test writes it");
}
