//! Targets written by one upsert keyed on a field of the file: facilities (by source id) and
//! participation zones (by code, in one commune). Their path is the same: a row without a key, or
//! that the target's `check` refuses, is rejected; the first row of each key is staged and its
//! geometry checked; the target's SQL upserts the staged rows (`$1` the source, `$2` the mapped
//! fields, then the `extra` values) and returns, per written row, whether it was inserted.
use sqlx::PgConnection;

use super::{
    stage::{self, Want},
    Batch, Candidate, Ctx, ImportError, Written,
};

/// One keyed target.
pub(super) struct Keyed {
    /// The key field, and the rejection of a row without it.
    pub key: (&'static str, &'static str),
    /// What the key is called in the rejection of a duplicate.
    pub what: &'static str,
    pub want: Want,
    /// The progress bar's message while the upsert runs.
    pub writing: &'static str,
    pub sql: &'static str,
    /// Why a row is refused before staging (`None`: accepted).
    pub check: fn(&Candidate) -> Option<String>,
}

pub(super) async fn write(
    conn: &mut PgConnection,
    ctx: &Ctx<'_>,
    batch: Batch<'_>,
    target: &Keyed,
    extra: &[&str],
) -> Result<Written, ImportError> {
    let rejections = &mut batch.summary.rejections;
    let rows = Candidate::keyed_rows(batch.candidates, target.key, rejections, target.check);
    let (what, want, writing) = (target.what, target.want, target.writing);
    let accepted = stage::load_keyed(conn, ctx, rows, what, want, batch.summary, writing).await?;
    let mut upsert = sqlx::query_scalar(target.sql)
        .bind(&ctx.source)
        .bind(&ctx.mapped);
    for value in extra {
        upsert = upsert.bind(*value);
    }
    let written: Vec<bool> = upsert.fetch_all(&mut *conn).await?;
    Ok(Written::counted(accepted, &written))
}
