//! The database schema and its functions (docs/database.md): the migrated schema equals the
//! committed snapshot `db/schema.sql`, every `mk_*` function has exactly one file in db/functions,
//! no migration after 0015 defines a function, and the function files are applied once per text.
use crate::common;

use std::{fs, process::Command};

use mokhattat::db::{self, functions};

const SNAPSHOT: &str = "db/schema.sql";
const REFRESH: &str =
    "MOKHATTAT_UPDATE_SCHEMA=1 cargo nextest run --test it schema::migrated_schema_equals_snapshot";

/// `pg_dump` of the cluster's own version when it can be found, else the one on PATH.
fn pg_dump() -> std::path::PathBuf {
    db::embedded::find_bindir()
        .map(|d| d.join("pg_dump"))
        .ok()
        .filter(|p| p.exists())
        .unwrap_or_else(|| "pg_dump".into())
}

/// The dump with what does not describe the schema left out: comments, SET lines, blank lines,
/// `\restrict` keys (random per dump), extension comments (their text follows the extension's
/// version), and function bodies: their one home is db/functions (a copy here would be a second
/// definition); the snapshot keeps each function's signature, attributes and language, on one line.
fn normalize(dump: &str) -> String {
    let mut out = String::new();
    let mut body_end: Option<String> = None;
    // a function's header lines, joined into one line until its body starts
    let mut function: Option<String> = None;
    for line in dump.lines() {
        if let Some(end) = &body_end {
            if line.ends_with(end.as_str()) {
                body_end = None;
            }
            continue;
        }
        if line.trim().is_empty()
            || line.starts_with("--")
            || line.starts_with("SET ")
            || line.starts_with("SELECT pg_catalog.set_config")
            || line.starts_with("\\restrict")
            || line.starts_with("\\unrestrict")
            || line.starts_with("COMMENT ON EXTENSION")
        {
            continue;
        }
        if line.starts_with("CREATE FUNCTION ") {
            function = Some(line.to_string());
            continue;
        }
        if let Some(header) = function.as_mut() {
            if let Some(rest) = line.strip_prefix("    AS $") {
                // the body: `AS $tag$…$tag$;`, on this line or up to a line ending with it
                let i = rest.find('$').unwrap_or(rest.len());
                let end = format!("${}$;", &rest[..i]);
                if !rest.get(i + 1..).is_some_and(|r| r.ends_with(end.as_str())) {
                    body_end = Some(end);
                }
                out.push_str(header);
                out.push_str(" AS $$ (db/functions) $$;\n");
                function = None;
            } else {
                header.push(' ');
                header.push_str(line.trim());
            }
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

pub(crate) fn dump_schema(url: &str) -> String {
    normalize(&common::run_ok(
        Command::new(pg_dump())
            .args(["--schema-only", "--no-owner", "--no-privileges"])
            .arg(format!("--dbname={url}")),
        "pg_dump",
    ))
}

/// The first differing line, with a few lines of context from both sides.
fn first_difference(expected: &str, actual: &str) -> Option<String> {
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let i = (0..e.len().max(a.len())).find(|&i| e.get(i) != a.get(i))?;
    let from = i.saturating_sub(3);
    let show = |v: &[&str]| {
        (from..(i + 6).min(v.len()))
            .map(|k| format!("{:>5}{} {}\n", k + 1, if k == i { '>' } else { ' ' }, v[k]))
            .collect::<String>()
    };
    Some(format!(
        "first difference at line {}\n--- {SNAPSHOT} (committed)\n{}+++ migrated database\n{}",
        i + 1,
        show(&e),
        show(&a)
    ))
}

#[tokio::test]
async fn migrated_schema_equals_snapshot() {
    let t = common::empty_db().await;
    let actual = dump_schema(&t.url);
    let path = common::root().join(SNAPSHOT);
    if std::env::var("MOKHATTAT_UPDATE_SCHEMA").as_deref() == Ok("1") {
        fs::write(&path, &actual).expect("write the schema snapshot");
        return;
    }
    let expected = fs::read_to_string(&path).unwrap_or_default();
    if let Some(diff) = first_difference(&expected, &actual) {
        panic!(
            "the migrated schema is not the committed snapshot {SNAPSHOT}: {diff}\n\
             If the change is intended, refresh the snapshot and commit it:\n    {REFRESH}"
        );
    }
}

#[test]
fn normalize_keeps_signatures_and_drops_bodies() {
    let dump = "--\n-- Name: f\n--\n\nSET x = 1;\nSELECT pg_catalog.set_config('a', '', false);\n\
                \\restrict abc\nCOMMENT ON EXTENSION postgis IS 'x';\n\
                CREATE FUNCTION public.f(a int) RETURNS int\n    LANGUAGE sql\n    AS $$ SELECT 1 $$;\n\
                CREATE FUNCTION public.g() RETURNS void\n    LANGUAGE plpgsql\n    AS $_$\nBEGIN\n  \
                PERFORM 'a$$;';\nEND $_$;\nCREATE TABLE public.t (\n    id bigint\n);\n";
    assert_eq!(
        normalize(dump),
        "CREATE FUNCTION public.f(a int) RETURNS int LANGUAGE sql AS $$ (db/functions) $$;\n\
         CREATE FUNCTION public.g() RETURNS void LANGUAGE plpgsql AS $$ (db/functions) $$;\n\
         CREATE TABLE public.t (\n    id bigint\n);\n"
    );
}

#[test]
fn a_difference_names_its_line() {
    assert_eq!(first_difference("a\nb\n", "a\nb\n"), None);
    let d = first_difference("a\nb\nc\n", "a\nx\nc\n").unwrap();
    assert!(d.starts_with("first difference at line 2"), "{d}");
    assert!(d.contains("    2> b") && d.contains("    2> x"), "{d}");
    let d = first_difference("a\n", "a\nb\n").unwrap();
    assert!(d.starts_with("first difference at line 2"), "{d}");
}

/// `CREATE OR REPLACE FUNCTION name(` occurrences in a text, by name.
fn defined_functions(sql: &str) -> Vec<String> {
    let upper = sql.to_ascii_uppercase();
    let key = "CREATE OR REPLACE FUNCTION ";
    let mut names = Vec::new();
    let mut from = 0;
    while let Some(i) = upper[from..].find(key) {
        let start = from + i + key.len();
        let name: String = sql[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        names.push(name.to_ascii_lowercase());
        from = start;
    }
    names
}

#[tokio::test]
async fn every_function_has_exactly_one_file() {
    let t = common::empty_db().await;
    let in_db: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT p.proname::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = 'public' AND p.proname LIKE 'mk\\_%'
           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                           AND d.objid = p.oid AND d.deptype = 'e')
         ORDER BY 1",
    )
    .fetch_all(&t.pool)
    .await
    .unwrap();
    assert!(in_db.len() > 80, "functions found: {in_db:?}");
    let mut problems = Vec::new();
    for name in &in_db {
        let homes: Vec<&str> = functions::FILES
            .iter()
            .filter(|(_, sql)| defined_functions(sql).contains(name))
            .map(|(p, _)| *p)
            .collect();
        if homes.len() != 1 {
            problems.push(format!("{name}: defined in {homes:?}"));
        }
    }
    for (path, sql) in functions::FILES {
        let stem = path.rsplit('/').next().unwrap().trim_end_matches(".sql");
        let names = defined_functions(sql);
        if names.is_empty() || names.iter().any(|n| n != stem) {
            problems.push(format!(
                "db/functions/{path} must define {stem} (and only it): defines {names:?}"
            ));
        }
        if !in_db.iter().any(|n| n == stem) {
            problems.push(format!(
                "db/functions/{path}: {stem} is not in the database"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn later_migrations_define_no_function() {
    // 0001–0014 are history: they defined the functions before db/functions existed
    let offenders: Vec<String> = db::MIGRATOR
        .iter()
        .filter(|m| m.version > 15)
        .filter(|m| {
            let sql = m.sql.to_ascii_uppercase();
            sql.contains("CREATE FUNCTION") || sql.contains("CREATE OR REPLACE FUNCTION")
        })
        .map(|m| format!("{:04}_{}", m.version, m.description))
        .collect();
    assert!(
        offenders.is_empty(),
        "migrations define functions; put them in db/functions instead (docs/database.md): {offenders:?}"
    );
}

/// Rows of `mk_function_file` (of `path` only, when given).
async fn recorded(pool: &sqlx::PgPool, path: Option<&str>) -> usize {
    let n: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM mk_function_file WHERE $1::text IS NULL OR path = $1",
    )
    .bind(path)
    .fetch_one(pool)
    .await
    .unwrap();
    n as usize
}

#[tokio::test]
async fn fresh_install_applies_every_file_once() {
    let t = common::blank_db().await;
    db::MIGRATOR.run(&t.pool).await.expect("migrations");
    let first = functions::apply(&t.pool).await.unwrap();
    assert_eq!(first, functions::FILES.len());
    assert_eq!(functions::apply(&t.pool).await.unwrap(), 0);
    assert_eq!(recorded(&t.pool, None).await, functions::FILES.len());
}

#[tokio::test]
async fn a_changed_file_is_applied_again() {
    let t = common::empty_db().await;
    assert_eq!(
        functions::apply(&t.pool).await.unwrap(),
        0,
        "the template is up to date"
    );
    let bands = || async {
        sqlx::query_scalar::<_, i32>("SELECT cardinality(mk_tile_bands())")
            .fetch_one(&t.pool)
            .await
            .unwrap()
    };
    assert_eq!(bands().await, 7);
    let path = "tiles/mk_tile_bands.sql";
    let original = functions::FILES
        .iter()
        .find(|(p, _)| *p == path)
        .expect("mk_tile_bands has its file")
        .1;
    let changed_text = original.replace("10, 11]", "10, 11, 12]");
    assert_ne!(changed_text, original);
    let changed: Vec<(&str, &str)> = functions::FILES
        .iter()
        .map(|&(p, s)| {
            if p == path {
                (p, changed_text.as_str())
            } else {
                (p, s)
            }
        })
        .collect();
    assert_eq!(functions::apply_files(&t.pool, &changed).await.unwrap(), 1);
    assert_eq!(bands().await, 8);
    let sum: Vec<u8> = sqlx::query_scalar("SELECT checksum FROM mk_function_file WHERE path = $1")
        .bind(path)
        .fetch_one(&t.pool)
        .await
        .unwrap();
    assert_eq!(sum, functions::checksum(&changed_text));
    assert_eq!(functions::apply_files(&t.pool, &changed).await.unwrap(), 0);
    // back to the embedded text
    assert_eq!(functions::apply(&t.pool).await.unwrap(), 1);
    assert_eq!(bands().await, 7);
}

#[tokio::test]
async fn a_failing_file_names_itself_and_changes_nothing() {
    let t = common::empty_db().await;
    let mut files: Vec<(&str, &str)> = functions::FILES.to_vec();
    files.push((
        "zz/broken.sql",
        "CREATE OR REPLACE FUNCTION mk_broken( RETURNS int",
    ));
    let err = functions::apply_files(&t.pool, &files).await.unwrap_err();
    assert!(
        err.to_string().contains("db/functions/zz/broken.sql"),
        "{err}"
    );
    assert_eq!(recorded(&t.pool, Some("zz/broken.sql")).await, 0);
}
