//! A row created through Part 4: its id from the table's sequence, its default key, its INSERT.
use sqlx::{PgConnection, Postgres, QueryBuilder};

use super::sql::{constraint, push_values, Val};
use crate::features::FeaturesError;

/// How a created row of `table` (a name from the writers' own code, bound as a value) gets its
/// id, and its column `key` when the input gives none: `label(id)`.
pub struct NewRow {
    pub table: &'static str,
    pub key: &'static str,
    pub label: fn(i64) -> String,
    /// What allocating the id and inserting the row is called in errors.
    pub what: &'static str,
}

impl NewRow {
    /// A new id from the table's sequence, and `key` set to `label(id)` unless `cols` has it.
    pub async fn id(
        &self,
        tx: &mut PgConnection,
        cols: &mut Vec<(&'static str, Val)>,
    ) -> Result<i64, FeaturesError> {
        let id: i64 = sqlx::query_scalar("SELECT nextval(pg_get_serial_sequence($1, 'id'))")
            .bind(self.table)
            .fetch_one(&mut *tx)
            .await
            .map_err(FeaturesError::db(self.what))?;
        if !cols.iter().any(|(n, _)| *n == self.key) {
            cols.push((self.key, Val::Text((self.label)(id))));
        }
        Ok(id)
    }

    /// Ends the INSERT `qb` (its leading columns and values pushed, then [`super::sql::push_names`]): the
    /// values of `cols`, then runs it (a constraint violated is the client's 400/409).
    pub async fn insert(
        &self,
        tx: &mut PgConnection,
        mut qb: QueryBuilder<'_, Postgres>,
        cols: &[(&str, Val)],
    ) -> Result<(), FeaturesError> {
        push_values(&mut qb, cols);
        qb.push(")");
        qb.build()
            .execute(&mut *tx)
            .await
            .map_err(constraint(self.what))?;
        Ok(())
    }
}
