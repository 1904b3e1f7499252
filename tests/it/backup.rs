//! Backups (docs/deploy.md, "Backups"): `mokhattat db backup` of a database holding the sample and
//! a change of its own, then `mokhattat db restore` into a new, empty database: the same schema, the
//! same rows, and a server on the copy answers as on the original. A restore into a database that
//! holds data, a truncated backup and a file that is not a backup are refused with a message that
//! says what to do, the target left as it was.
use crate::common;

/// Rows of the tables a restore must bring back, and a digest of the projects.
const CONTENT: &str = "SELECT json_build_object( \
    'projects', (SELECT count(*) FROM project), 'locations', (SELECT count(*) FROM project_location), \
    'assignments', (SELECT count(*) FROM location_assignment), 'units', (SELECT count(*) FROM admin_unit), \
    'indicator_rows', (SELECT count(*) FROM unit_indicator_row), 'zones', (SELECT count(*) FROM landuse_zone), \
    'keys', (SELECT count(*) FROM api_key), 'functions', (SELECT count(*) FROM mk_function_file), \
    'digest', (SELECT md5(string_agg(code || title_fr || status || coalesce(budget_tnd::text, ''), ',' ORDER BY code)) FROM project))::text";

/// `text` without the values of its `"timeStamp"` and `"generated_at"` (the moment of each answer).
fn without_time_stamp(text: &str) -> String {
    let mut text = text.to_string();
    for key in ["\"timeStamp\":\"", "\"generated_at\":\""] {
        if let Some(i) = text.find(key) {
            let rest = &text[i + key.len()..];
            let end = rest.find('"').map_or(rest.len(), |j| j + 1);
            text = format!("{}{}", &text[..i], &rest[end..]);
        }
    }
    text
}

fn failed_saying(out: &std::process::Output, what: &str) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "{what}: must fail; stderr: {err}");
    err
}

#[tokio::test]
async fn a_backup_restores_into_an_empty_database_and_is_refused_elsewhere() {
    let db = common::sample_db().await;
    db.exec(
        "UPDATE project SET title_fr = 'Titre après la sauvegarde ? non : avant' WHERE code = \
         (SELECT min(code) FROM project WHERE is_public)",
        (),
    )
    .await;
    let _admin = common::key(&db, "admin", &[], None).await;
    let dir = common::tmp_dir().join(format!("backup-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("mokhattat.backup");
    let out = common::cli(&db, &["db", "backup", "--to", file.to_str().unwrap()]).await;
    let said = common::ok_stdout(&out);
    assert!(said.contains("backup written"), "{said}");
    let progress = String::from_utf8_lossy(&out.stderr);
    assert!(
        progress.contains("public.project"),
        "progress names the tables: {progress}"
    );
    assert!(
        !dir.join("mokhattat.partial").exists(),
        "no partial file is left"
    );

    // into a new database: the same schema and rows
    let copy = common::raw_db().await;
    let out = common::cli(&copy, &["db", "restore", "--from", file.to_str().unwrap()]).await;
    let said = common::ok_stdout(&out);
    assert!(
        said.contains("restored") && said.contains("projects"),
        "{said}"
    );
    let (a, b): (String, String) = (db.scalar(CONTENT, ()).await, copy.scalar(CONTENT, ()).await);
    assert_eq!(a, b, "the copy holds the same rows");
    assert!(
        a.contains("\"projects\" : ") || a.contains("\"projects\":"),
        "{a}"
    );
    assert_eq!(
        crate::schema::dump_schema(&db.url),
        crate::schema::dump_schema(&copy.url),
        "the copy has the same schema"
    );
    // a server on the copy answers as on the original
    let (orig, restored) = (
        common::ServerProcess::on(&db).await,
        common::ServerProcess::on(&copy).await,
    );
    for path in [
        "/collections/projects/items?limit=1000",
        "/api/indicators?level=governorate",
        "/tiles/projects/8/134/100",
    ] {
        // the same answers, but for each server's own address and the answer's time stamp
        let get = |srv: &common::ServerProcess| {
            let (url, base) = (srv.url(path), srv.url(""));
            async move {
                let r = reqwest::get(url).await.unwrap();
                let status = r.status().as_u16();
                let body = r.bytes().await.unwrap().to_vec();
                // text but for addresses and time stamps; a tile by what it draws (its rows'
                // order is the plan's)
                let body = match String::from_utf8(body) {
                    Ok(t) => without_time_stamp(&t.replace(&base, "BASE/")).into_bytes(),
                    Err(e) => common::tile_features(e.as_bytes(), None)
                        .join("\n")
                        .into_bytes(),
                };
                (status, body)
            }
        };
        let (x, y) = (get(&orig).await, get(&restored).await);
        assert_eq!(x.0, 200, "{path}");
        assert!(x.1.len() > 100, "{path}: {} bytes", x.1.len());
        let at = (0..x.1.len().min(y.1.len())).find(|&i| x.1[i] != y.1[i]);
        let around = |b: &[u8], i: usize| {
            String::from_utf8_lossy(&b[i.saturating_sub(80)..(i + 40).min(b.len())]).into_owned()
        };
        assert!(
            x == y,
            "{path}: the copy answers differently: {:?} vs {:?}",
            at.map(|i| around(&x.1, i)),
            at.map(|i| around(&y.1, i))
        );
    }
    let text = common::http::get_text(restored.url("/collections/projects/items?limit=1000")).await;
    assert!(
        text.contains("Titre après la sauvegarde"),
        "the change made before the backup is there"
    );

    // a database that holds data is refused, unchanged
    let before: String = db.scalar(CONTENT, ()).await;
    let err = failed_saying(
        &common::cli(&db, &["db", "restore", "--from", file.to_str().unwrap()]).await,
        "restore over data",
    );
    assert!(
        err.contains("empty database") && err.contains("nothing was changed"),
        "{err}"
    );
    assert_eq!(before, db.scalar::<String>(CONTENT, ()).await);

    // a truncated backup and a file that is not one: refused, the empty target stays empty
    let bytes = std::fs::read(&file).unwrap();
    let cut = dir.join("truncated.backup");
    std::fs::write(&cut, &bytes[..bytes.len() * 2 / 3]).unwrap();
    let junk = dir.join("junk.backup");
    std::fs::write(&junk, b"PGDMP? no: a text file").unwrap();
    for (f, what) in [(&cut, "truncated"), (&junk, "not a backup")] {
        let empty = common::raw_db().await;
        let err = failed_saying(
            &common::cli(&empty, &["db", "restore", "--from", f.to_str().unwrap()]).await,
            what,
        );
        assert!(
            err.contains("backup") || err.contains("nothing was restored"),
            "{what}: {err}"
        );
        let tables: i64 = empty
            .scalar(
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'spatial_ref_sys'",
                (),
            )
            .await;
        assert_eq!(tables, 0, "{what}: nothing restored: {err}");
    }
    let err = failed_saying(
        &common::cli(&copy, &["db", "restore", "--from", "/nonexistent/file"]).await,
        "missing file",
    );
    assert!(err.contains("no such backup file"), "{err}");
    orig.finish();
    restored.finish();
    std::fs::remove_dir_all(&dir).ok();
}

/// A base backup (`db replica`, i.e. `pg_basebackup -R`) restored as a primary of its own with
/// `db promote`: it holds what the primary had, accepts writes, and the primary does not see them.
#[tokio::test]
async fn a_base_backup_is_promoted_into_a_primary_of_its_own() {
    use crate::replicas::cli;
    let dir = common::scratch("basebackup-");
    let (pdir, rdir) = (dir.path().join("primary"), dir.path().join("copy"));
    let (p, r) = (pdir.to_str().unwrap(), rdir.to_str().unwrap());
    let primary_url = cli(&["db", "start", "--data-dir", p]);
    let primary = mokhattat::db::pool(&primary_url, 2).await.unwrap();
    for sql in [
        "CREATE TABLE backup_probe (n int)",
        "INSERT INTO backup_probe VALUES (1), (2)",
    ] {
        sqlx::query(sql).execute(&primary).await.unwrap();
    }
    let copy_url = cli(&["db", "replica", "--from", &primary_url, "--data-dir", r]);
    // promoting a primary is refused with PostgreSQL's reason
    let out = std::process::Command::new(common::bin())
        .args(["db", "promote", "--data-dir", p])
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    let err = failed_saying(&out, "promote a primary");
    assert!(err.contains("not in standby mode"), "{err}");
    let promoted = cli(&["db", "promote", "--data-dir", r]);
    assert_eq!(promoted, copy_url, "the copy keeps its address");
    let copy = mokhattat::db::pool(&copy_url, 2).await.unwrap();
    let (recovery, rows): (bool, i64) =
        sqlx::query_as("SELECT pg_is_in_recovery(), (SELECT count(*) FROM backup_probe)")
            .fetch_one(&copy)
            .await
            .unwrap();
    assert!(!recovery, "the copy is a primary");
    assert_eq!(rows, 2, "it holds what the primary had");
    sqlx::query("INSERT INTO backup_probe VALUES (3)")
        .execute(&copy)
        .await
        .expect("the copy accepts writes");
    let on_primary: i64 = sqlx::query_scalar("SELECT count(*) FROM backup_probe")
        .fetch_one(&primary)
        .await
        .unwrap();
    assert_eq!(on_primary, 2, "the copy's writes stay its own");
    copy.close().await;
    primary.close().await;
    cli(&["db", "stop", "--data-dir", r]);
    cli(&["db", "stop", "--data-dir", p]);
}
