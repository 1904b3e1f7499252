//! Values a property must take from a reference table (statuses, classes, layers), checked against
//! the table itself so that the error lists what is accepted.
use sqlx::PgExecutor;

use crate::features::{FResult, FeaturesError};

/// The values `list_sql` returns (one text column, in the order to show them).
pub(super) async fn known<'e>(
    exec: impl PgExecutor<'e>,
    list_sql: &'static str,
    listing: &'static str,
) -> FResult<Vec<String>> {
    sqlx::query_scalar(list_sql)
        .fetch_all(exec)
        .await
        .map_err(FeaturesError::db(listing))
}

/// `value` of the property `name` must be one of the [`known`] values: else a 400 listing them.
pub(super) async fn one_of<'e>(
    exec: impl PgExecutor<'e>,
    (name, value): (&str, &str),
    list_sql: &'static str,
    listing: &'static str,
) -> FResult<()> {
    let known = known(exec, list_sql, listing).await?;
    if known.iter().any(|k| k == value) {
        return Ok(());
    }
    Err(FeaturesError::Invalid(format!(
        "{name} `{value}` is not one of: {}",
        known.join(", ")
    )))
}
