//! `mokhattat db backup --to FILE` and `mokhattat db restore --from FILE`: a logical copy of the
//! whole database with PostgreSQL's own `pg_dump` (custom format) and `pg_restore`, on the database
//! the server uses (`DATABASE_URL`, else the embedded cluster). A backup is written next to its
//! name and renamed when complete, so an interrupted one never looks whole; a restore goes into an
//! empty database in one transaction, so a bad or truncated file leaves it as it was.
//! docs/deploy.md, "Backups".
use std::{
    path::{Path, PathBuf},
    process::Stdio,
    time::Instant,
};

use anyhow::{bail, Context};
use tokio::io::{AsyncBufReadExt, BufReader};

use super::Database;

/// The program `name` (pg_dump, pg_restore) of `bindir`, else of the PostgreSQL found on this machine.
fn tool(bindir: Option<&Path>, name: &str) -> PathBuf {
    bindir
        .map(Path::to_path_buf)
        .or_else(|| super::embedded::find_bindir().ok())
        .map(|d| d.join(name))
        .filter(|p| p.exists())
        .unwrap_or_else(|| name.into())
}

/// `url` without its password (it goes to the child in PGPASSWORD, not on its command line).
fn split_password(url: &str) -> anyhow::Result<(String, String)> {
    let mut u = url::Url::parse(url).context("reading the database URL")?;
    let password = percent_encoding::percent_decode_str(u.password().unwrap_or(""))
        .decode_utf8_lossy()
        .into_owned();
    u.set_password(None)
        .map_err(|_| anyhow::anyhow!("the database URL cannot carry a password"))?;
    Ok((u.into(), password))
}

/// Run `program args` with the password of `url`, printing `progress(line)` for each line of its
/// stderr that has one; the other lines are kept for the error message.
async fn run(
    program: &Path,
    args: &[&std::ffi::OsStr],
    password: &str,
    progress: impl Fn(&str) -> Option<String>,
) -> anyhow::Result<()> {
    let mut child = tokio::process::Command::new(program)
        .args(args)
        .env("PGPASSWORD", password)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("running {} (is PostgreSQL installed?)", program.display()))?;
    let mut lines = BufReader::new(child.stderr.take().expect("piped")).lines();
    let mut other = Vec::new();
    while let Some(line) = lines.next_line().await? {
        match progress(&line) {
            Some(p) => eprintln!("  {p}"),
            None => other.push(line),
        }
    }
    let status = child.wait().await?;
    if !status.success() {
        let said: Vec<_> = other.iter().filter(|l| l.contains("error")).collect();
        let said = if said.is_empty() {
            other.iter().collect()
        } else {
            said
        };
        bail!(
            "{} failed ({status}): {}",
            program.file_name().unwrap_or_default().to_string_lossy(),
            said.iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        );
    }
    Ok(())
}

/// The table named by a verbose pg_dump/pg_restore line about a table's rows.
fn table_line(line: &str) -> Option<String> {
    ["dumping contents of table ", "processing data for table "]
        .iter()
        .find_map(|k| line.split_once(k))
        .map(|(_, t)| t.trim_matches('"').replace('"', ""))
}

/// Write the whole database to `to` (pg_dump custom format: compressed, restorable table by table).
pub async fn backup(db: &Database, to: &Path, bindir: Option<&Path>) -> anyhow::Result<()> {
    let started = Instant::now();
    let (url, password) = split_password(&db.url)?;
    let partial = to.with_extension("partial");
    eprintln!("backing up the database to {} …", to.display());
    let args: [&std::ffi::OsStr; 7] = [
        "--format=custom".as_ref(),
        "--verbose".as_ref(),
        "--no-owner".as_ref(),
        "--file".as_ref(),
        partial.as_os_str(),
        "--dbname".as_ref(),
        url.as_ref(),
    ];
    let done = run(&tool(bindir, "pg_dump"), &args, &password, table_line).await;
    if let Err(e) = done {
        std::fs::remove_file(&partial).ok();
        return Err(e);
    }
    std::fs::rename(&partial, to).with_context(|| format!("writing {}", to.display()))?;
    let size = std::fs::metadata(to)?.len();
    println!(
        "backup written: {} ({:.1} MB) in {:.1} s",
        to.display(),
        size as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Tables of the database besides PostGIS's own: a restore goes into a database without any.
async fn user_tables(db: &Database) -> anyhow::Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'topology') \
           AND n.nspname NOT LIKE 'pg_toast%' AND c.relname <> 'spatial_ref_sys'",
    )
    .fetch_one(&db.pool)
    .await?)
}

/// Load the backup `from` into the (empty) database, in one transaction, then refresh the planner's
/// statistics (a dump holds none).
pub async fn restore(db: &Database, from: &Path, bindir: Option<&Path>) -> anyhow::Result<()> {
    let started = Instant::now();
    let pg_restore = tool(bindir, "pg_restore");
    let file = from.as_os_str();
    if !from.is_file() {
        bail!("{}: no such backup file", from.display());
    }
    // its table of contents first: a file that is not a Mokhattat backup is refused before anything
    let list = tokio::process::Command::new(&pg_restore)
        .args(["--list".as_ref(), file])
        .output()
        .await
        .with_context(|| format!("running {}", pg_restore.display()))?;
    let toc = String::from_utf8_lossy(&list.stdout);
    if !list.status.success() {
        bail!(
            "{} is not a readable backup ({}); make one with `mokhattat db backup --to FILE`",
            from.display(),
            String::from_utf8_lossy(&list.stderr).trim()
        );
    }
    if !toc.contains("TABLE public _sqlx_migrations") {
        bail!(
            "{} is a PostgreSQL backup but not of a Mokhattat database (it has no migration table)",
            from.display()
        );
    }
    let n = user_tables(db).await?;
    if n > 0 {
        bail!(
            "the database already holds {n} tables: restore into an empty database (a new \
             --data-dir, or DATABASE_URL naming a new database); nothing was changed"
        );
    }
    eprintln!("restoring {} …", from.display());
    let (url, password) = split_password(&db.url)?;
    let args: [&std::ffi::OsStr; 8] = [
        "--verbose".as_ref(),
        "--no-owner".as_ref(),
        "--no-privileges".as_ref(),
        "--single-transaction".as_ref(),
        "--exit-on-error".as_ref(),
        "--dbname".as_ref(),
        url.as_ref(),
        file,
    ];
    run(&pg_restore, &args, &password, table_line)
        .await
        .context("nothing was restored (one transaction)")?;
    sqlx::query("ANALYZE").execute(&db.pool).await?;
    let (projects, locations): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM project), (SELECT count(*) FROM project_location)",
    )
    .fetch_one(&db.pool)
    .await?;
    println!(
        "restored {}: {projects} projects, {locations} locations, in {:.1} s \
         (the server applies any newer migration when it starts)",
        from.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
