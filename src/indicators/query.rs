//! The indicator queries (SQL in `sql/`), level checks and the CSV rendering.
use super::Figures;
use chrono::{DateTime, Utc};
use sqlx::PgPool;

use crate::error::{AppError, AppResult};
use crate::{auth::Visibility, landuse::csv, projects::planning_tx};

/// CSV columns, in the order of `sql/indicators_csv.sql`.
pub const CSV_COLUMNS: [&str; 39] = [
    "kind",
    "level",
    "code",
    "name_fr",
    "name_ar",
    "name_en",
    "parent_code",
    "governorate_code",
    "population",
    "population_year",
    "project_count",
    "budget_tnd",
    "budget_per_inhabitant",
    "beneficiaries",
    "committed_tnd",
    "paid_tnd",
    "execution_rate",
    "projects_with_progress",
    "delayed_count",
    "blocked_count",
    "rank_in_governorate",
    "units_in_governorate",
    "school_count",
    "school_per_10k",
    "school_nearest_km",
    "health_count",
    "health_per_10k",
    "health_nearest_km",
    "administration_count",
    "administration_per_10k",
    "administration_nearest_km",
    "post_count",
    "post_per_10k",
    "post_nearest_km",
    "police_count",
    "police_per_10k",
    "police_nearest_km",
    "settlement_method",
    "population_source",
];

/// Check `level` names a level that has units (now, or at `t`). `in_path`: 404 instead of 400.
pub async fn check_level(
    pool: &PgPool,
    level: &str,
    t: Option<DateTime<Utc>>,
    in_path: bool,
) -> AppResult<()> {
    let levels: Vec<(String, bool)> = sqlx::query_as(
        "SELECT al.level, EXISTS (SELECT 1 FROM admin_unit u WHERE u.level = al.level \
           AND (($1::timestamptz IS NULL AND u.valid_to IS NULL) \
             OR ($1 IS NOT NULL AND u.valid_from <= $1 AND (u.valid_to IS NULL OR u.valid_to > $1)))) \
         FROM admin_level al ORDER BY al.hierarchy DESC, al.depth",
    )
    .bind(t)
    .fetch_all(pool)
    .await?;
    let loaded: Vec<&str> = levels
        .iter()
        .filter(|l| l.1)
        .map(|l| l.0.as_str())
        .collect();
    match levels.iter().find(|l| l.0 == level) {
        Some((_, true)) => Ok(()),
        Some((_, false)) => Err(AppError::BadRequest(format!(
            "level {level} has no units{}; levels with units: {}",
            if t.is_some() {
                " at that date"
            } else {
                " loaded"
            },
            loaded.join(", ")
        ))),
        None => {
            let msg = format!(
                "unknown level '{level}'; levels with units: {}",
                loaded.join(", ")
            );
            Err(if in_path {
                AppError::NotFound(msg)
            } else {
                AppError::BadRequest(msg)
            })
        }
    }
}

/// Recompute the caches if they date from an earlier day (delays depend on the date).
pub async fn ensure_fresh(pool: &PgPool) -> AppResult<()> {
    sqlx::query_scalar::<_, bool>("SELECT mk_planning_fresh()")
        .fetch_one(pool)
        .await?;
    Ok(())
}

pub async fn json(pool: &PgPool, f: &Figures<'_>) -> AppResult<String> {
    Ok(sqlx::query_scalar(include_str!("sql/indicators.sql"))
        .bind(f.level)
        .bind(f.t)
        .bind(f.gov)
        .fetch_one(&mut *planning_tx(pool).await?)
        .await?)
}

pub async fn csv_text(pool: &PgPool, f: &Figures<'_>) -> AppResult<String> {
    let rows: Vec<Vec<Option<String>>> = sqlx::query_scalar(include_str!("sql/indicators_csv.sql"))
        .bind(f.level)
        .bind(f.t)
        .bind(f.gov)
        .fetch_all(&mut *planning_tx(pool).await?)
        .await?;
    let mut out = csv::line(&CSV_COLUMNS);
    for r in rows {
        let fields: Vec<String> = r.into_iter().map(Option::unwrap_or_default).collect();
        out.push_str(&csv::line(&fields));
    }
    Ok(out)
}

/// The governorate code of unit `level`/`code` valid at `t`, or 404.
pub async fn unit_governorate(
    pool: &PgPool,
    level: &str,
    code: &str,
    t: Option<DateTime<Utc>>,
) -> AppResult<Option<String>> {
    let found: Option<Option<String>> = sqlx::query_scalar(include_str!("sql/unit_exists.sql"))
        .bind(level)
        .bind(code)
        .bind(t)
        .fetch_optional(pool)
        .await?;
    found.ok_or_else(|| {
        AppError::NotFound(format!(
            "no {level} with code '{code}'{}; find codes with /api/units?q=NAME&level={level}",
            if t.is_some() { " at that date" } else { "" }
        ))
    })
}

pub async fn diagnosis(
    pool: &PgPool,
    level: &str,
    code: &str,
    t: Option<DateTime<Utc>>,
    gov: Option<&str>,
    vis: &Visibility,
) -> AppResult<String> {
    Ok(sqlx::query_scalar(include_str!("sql/diagnosis.sql"))
        .bind(level)
        .bind(code)
        .bind(t)
        .bind(vis.all)
        .bind(&vis.partner)
        .bind(&vis.municipalities)
        .bind(gov)
        .fetch_one(&mut *planning_tx(pool).await?)
        .await?)
}
