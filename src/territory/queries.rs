//! The gazetteer's SQL (in `sql/*.sql`) and the rows it returns.
use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgPool;

use super::{error::TerritoryError, params::Point};

const LOCATE_CURRENT: &str = include_str!("sql/locate_current.sql");
const LOCATE_AT: &str = include_str!("sql/locate_at.sql");
const SEARCH: &str = include_str!("sql/search.sql");
const UNIT: &str = include_str!("sql/unit.sql");
const LEVELS: &str = include_str!("sql/levels.sql");

/// The levels every Mokhattat database has (migration 0001). Others may be added to `admin_level`.
pub const BUILTIN_LEVELS: [&str; 4] = ["governorate", "delegation", "sector", "municipality"];

/// Which unit: its level, code and names (in every answer about a unit, at the top level of the
/// JSON object).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct UnitNames {
    pub level: String,
    pub code: String,
    pub name_ar: Option<String>,
    pub name_fr: Option<String>,
    pub name_en: Option<String>,
}

/// One unit containing a located point.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct LocatedUnit {
    #[serde(flatten)]
    #[sqlx(flatten)]
    pub names: UnitNames,
    pub version: i32,
    pub parent_code: Option<String>,
}

/// One search hit. `score` = tier (3 a name equals the query, 2 a word starts with it, 1 substring,
/// 0 fuzzy) + the best trigram similarity between the folded query and one of the names.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SearchHit {
    #[serde(flatten)]
    #[sqlx(flatten)]
    pub names: UnitNames,
    pub parent_code: Option<String>,
    pub score: f64,
}

/// A unit with everything the gazetteer knows about it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct UnitDetail {
    #[serde(flatten)]
    #[sqlx(flatten)]
    pub names: UnitNames,
    pub parent_code: Option<String>,
    pub version: i32,
    pub valid_from: DateTime<Utc>,
    pub valid_to: Option<DateTime<Utc>>,
    pub source: Option<String>,
    pub area_km2: Option<f64>,
    pub attrs: serde_json::Value,
    pub bbox: Vec<f64>,
    pub parent: Option<serde_json::Value>,
    pub population: serde_json::Value,
    pub versions: serde_json::Value,
    pub geometry: serde_json::Value,
}

/// Units of every level containing `p`: current versions, or those valid at `at`.
///
/// Shared boundaries: a point on an edge intersects both neighbours; per level the unit with the
/// lowest code (byte order) is returned, so the answer is one unit per level and always the same.
/// Order: state hierarchy shallow to deep (governorate, delegation, sector), then municipality.
pub async fn locate(
    pool: &PgPool,
    p: Point,
    at: Option<DateTime<Utc>>,
) -> Result<Vec<LocatedUnit>, TerritoryError> {
    let rows = match at {
        None => {
            sqlx::query_as(LOCATE_CURRENT)
                .bind(p.lon)
                .bind(p.lat)
                .fetch_all(pool)
                .await?
        }
        Some(at) => {
            sqlx::query_as(LOCATE_AT)
                .bind(p.lon)
                .bind(p.lat)
                .bind(at)
                .fetch_all(pool)
                .await?
        }
    };
    Ok(rows)
}

/// Search current units by name (see `sql/search.sql` for folding and ranking).
pub async fn search(
    pool: &PgPool,
    q: &str,
    level: Option<&str>,
    limit: i64,
    at: Option<DateTime<Utc>>,
) -> Result<Vec<SearchHit>, TerritoryError> {
    Ok(sqlx::query_as(SEARCH)
        .bind(q)
        .bind(level)
        .bind(limit)
        .bind(at)
        .fetch_all(pool)
        .await?)
}

/// One unit by level and code.
pub async fn unit(pool: &PgPool, level: &str, code: &str) -> Result<UnitDetail, TerritoryError> {
    sqlx::query_as(UNIT)
        .bind(level)
        .bind(code)
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| TerritoryError::UnitNotFound {
            level: level.to_string(),
            code: code.to_string(),
        })
}

/// All levels in the database, in hierarchy order.
pub async fn levels(pool: &PgPool) -> Result<Vec<String>, TerritoryError> {
    Ok(sqlx::query_scalar(LEVELS).fetch_all(pool).await?)
}

/// `Ok(())` when `level` is a known level. Otherwise [`TerritoryError::UnknownLevel`] (a query
/// parameter, 400) or, with `in_path`, [`TerritoryError::LevelNotFound`] (404), listing the valid ones.
pub async fn check_level(pool: &PgPool, level: &str, in_path: bool) -> Result<(), TerritoryError> {
    if BUILTIN_LEVELS.contains(&level) {
        return Ok(());
    }
    let valid = levels(pool).await?;
    if valid.iter().any(|l| l == level) {
        return Ok(());
    }
    let given = level.to_string();
    Err(if in_path {
        TerritoryError::LevelNotFound { given, valid }
    } else {
        TerritoryError::UnknownLevel { given, valid }
    })
}
