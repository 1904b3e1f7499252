//! Database functions: each one's current text lives in one file, `db/functions/<area>/<name>.sql`
//! (`CREATE OR REPLACE FUNCTION …`, and the triggers that call it as `CREATE OR REPLACE TRIGGER`).
//! Migrations stay forward-only and hold tables, indexes and drops; after they ran, [`apply`]
//! executes every file whose text differs from the one recorded in `mk_function_file`, in path
//! order, in one transaction. See docs/database.md.
use sha2::{Digest, Sha256};
use sqlx::PgPool;

/// `(path under db/functions, text)`, sorted by path; embedded by build.rs.
pub static FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/functions.rs"));

/// The checksum recorded for a file's text.
pub fn checksum(sql: &str) -> Vec<u8> {
    Sha256::digest(sql.as_bytes()).to_vec()
}

/// Bring the database's functions to the embedded text (idempotent; concurrent callers wait for
/// each other). Returns the number of files executed.
pub async fn apply(pool: &PgPool) -> Result<usize, sqlx::Error> {
    apply_files(pool, FILES).await
}

/// [`apply`] with an explicit `(path, text)` list, sorted by path (tests change a file's text).
pub async fn apply_files(pool: &PgPool, files: &[(&str, &str)]) -> Result<usize, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('mokhattat-functions'))")
        .execute(&mut *tx)
        .await?;
    // bodies refer to each other and to later files; they are checked when they first run
    sqlx::query("SET LOCAL check_function_bodies = off")
        .execute(&mut *tx)
        .await?;
    let known: Vec<(String, Vec<u8>)> =
        sqlx::query_as("SELECT path, checksum FROM mk_function_file")
            .fetch_all(&mut *tx)
            .await?;
    let mut applied = 0;
    for (path, sql) in files {
        let sum = checksum(sql);
        if known.iter().any(|(p, c)| p == path && *c == sum) {
            continue;
        }
        sqlx::raw_sql(sql)
            .execute(&mut *tx)
            .await
            .map_err(|e| sqlx::Error::Protocol(format!("db/functions/{path}: {e}")))?;
        sqlx::query(
            "INSERT INTO mk_function_file (path, checksum) VALUES ($1, $2)
             ON CONFLICT (path) DO UPDATE SET checksum = EXCLUDED.checksum, applied_at = now()",
        )
        .bind(path)
        .bind(&sum)
        .execute(&mut *tx)
        .await?;
        applied += 1;
    }
    let paths: Vec<&str> = files.iter().map(|(p, _)| *p).collect();
    sqlx::query("DELETE FROM mk_function_file WHERE path <> ALL($1)")
        .bind(&paths)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(applied)
}
