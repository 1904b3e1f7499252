//! The write rules every path shares (planning API, OGC API – Features, funding): the write
//! transaction (serialized with the derived-table refresh, bounded lock waits) and the lifecycle
//! check, which lives in the database (`mk_event_refusal`, migrations/0013_write_rules.sql) so
//! that no path has its own copy. See docs/write-rules.md.
use chrono::NaiveDate;
use sqlx::{PgConnection, PgPool, Postgres, Transaction};

/// The project statuses, in lifecycle order (the rows of table `project_status`): the values the
/// tile filter, the OpenAPI document and the status endpoint accept.
pub const STATUSES: &[&str] = &[
    "identified",
    "planned",
    "approved",
    "financed",
    "in_procurement",
    "works_under_way",
    "suspended",
    "completed",
    "cancelled",
];

/// How long a write waits for a lock (another write, a running import) before it is answered
/// 503 "retry" instead of hanging.
pub const LOCK_TIMEOUT: &str = "20s";

/// A write transaction: JIT off (see `planning_tx`), lock waits bounded, and the write lock
/// taken first, before any row lock, so concurrent writers always lock in the same order.
pub async fn write_tx(pool: &PgPool) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query(
        "SELECT set_config('jit', 'off', true), set_config('lock_timeout', $1, true), \
         set_config('mokhattat.defer_refresh', 'on', true)",
    )
    .bind(LOCK_TIMEOUT)
    .execute(&mut *tx)
    .await?;
    sqlx::query("SELECT mk_write_lock()")
        .execute(&mut *tx)
        .await?;
    Ok(tx)
}

/// Commit a [`write_tx`]: first the refresh of the derived tables its statements deferred
/// (once for the whole write instead of once per statement).
pub async fn commit(mut tx: Transaction<'static, Postgres>) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT mk_refresh_flush()")
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// A proposed dated event on a project.
#[derive(Debug, Clone, Default)]
pub struct Proposed<'a> {
    /// The status asked for (None: no status change).
    pub to_status: Option<&'a str>,
    pub date: Option<NaiveDate>,
    /// Physical progress reported with it, as exact decimal text.
    pub physical_pct: Option<String>,
    /// An explicit correction with a reason.
    pub correction: bool,
}

/// Why `proposed` is refused for project `id` (send as a 409), or None when allowed.
pub async fn refusal(
    conn: &mut PgConnection,
    id: i64,
    proposed: &Proposed<'_>,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT mk_event_refusal($1, $2, $3, $4::text::numeric, $5)")
        .bind(id)
        .bind(proposed.to_status)
        .bind(proposed.date)
        .bind(proposed.physical_pct.as_deref())
        .bind(proposed.correction)
        .fetch_one(conn)
        .await
}

/// `"correction": true` with a `"reason"`: the reason, or None for an ordinary event; a reason
/// without the flag, or the flag without a reason, is a mistake the message explains.
pub fn correction(flag: Option<bool>, reason: Option<&str>) -> Result<Option<String>, String> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    let max = crate::guard::text_limit("reason");
    match (flag.unwrap_or(false), reason) {
        (false, None) => Ok(None),
        (true, Some(r)) if r.chars().count() <= max => Ok(Some(r.to_string())),
        (true, Some(_)) => Err(format!(
            "reason is too long: at most {max} characters"
        )),
        (true, None) => Err(
            "\"correction\": true needs a \"reason\": say what is being corrected and why".into(),
        ),
        (false, Some(_)) => Err(
            "a \"reason\" is only recorded with \"correction\": true (a back-dated event, progress going down, \
             or completion below 100 %)"
                .into(),
        ),
    }
}

/// A transaction that lost a race (deadlock, serialization failure): nothing was written and
/// the same request can run again.
pub fn is_transient(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if matches!(db.code().as_deref(), Some("40P01" | "40001")))
}

/// Errors that may be a lost race.
pub trait Transient {
    fn transient(&self) -> bool;
}

impl Transient for super::ProjectsError {
    fn transient(&self) -> bool {
        matches!(self, super::ProjectsError::Db(e) if is_transient(e))
    }
}

/// Run a write; when it lost a race, run it once more (then its error is the client's 503).
pub async fn retry_once<T, E, F, Fut>(mut f: F) -> Result<T, E>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, E>>,
    E: Transient,
{
    match f().await {
        Err(e) if e.transient() => {
            tracing::warn!("a write lost a race with a concurrent one; retrying it once");
            f().await
        }
        r => r,
    }
}

#[cfg(test)]
mod tests {
    use super::correction;

    #[test]
    fn corrections_need_a_reason() {
        assert_eq!(correction(None, None), Ok(None));
        assert_eq!(correction(Some(false), Some("  ")), Ok(None));
        assert_eq!(
            correction(Some(true), Some(" typo ")),
            Ok(Some("typo".into()))
        );
        assert!(correction(Some(true), None).unwrap_err().contains("reason"));
        assert!(correction(None, Some("x"))
            .unwrap_err()
            .contains("correction"));
    }
}
