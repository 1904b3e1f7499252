//! Reading and writing a test database without the sqlx plumbing: `db.scalar(sql)`,
//! `db.rows(sql)`, `db.exec(sql)` (no bound values; a test with values binds them with sqlx), and
//! `items(&json["key"])` for a JSON array the test is sure is there.
use serde_json::Value;
use sqlx::{postgres::PgRow, FromRow};

use super::TestDb;

impl TestDb {
    /// The one value of a one-row query; panics (naming the query) when it fails.
    pub async fn scalar<T>(&self, sql: &str) -> T
    where
        T: Send + Unpin,
        (T,): for<'r> FromRow<'r, PgRow>,
    {
        sqlx::query_scalar(sql)
            .fetch_one(&self.pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Every row of a query; panics (naming the query) when it fails.
    pub async fn rows<T>(&self, sql: &str) -> Vec<T>
    where
        T: for<'r> FromRow<'r, PgRow> + Send + Unpin,
    {
        sqlx::query_as(sql)
            .fetch_all(&self.pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Run a statement; panics (naming it) when it fails. The rows it touched.
    pub async fn exec(&self, sql: &str) -> u64 {
        sqlx::query(sql)
            .execute(&self.pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .rows_affected()
    }
}

/// The elements of a JSON array; panics (showing the value) when it is not one.
pub fn items(v: &Value) -> std::slice::Iter<'_, Value> {
    v.as_array()
        .unwrap_or_else(|| panic!("not a JSON array: {v}"))
        .iter()
}
