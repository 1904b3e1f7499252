//! What a pack or a tile archive covers: one commune (by official code) or the whole country.
use sqlx::PgPool;

use crate::error::AppError;

/// The code that names the whole country (ISO 3166-1 alpha-2).
pub const NATIONAL: &str = "TN";

#[derive(Debug, Clone)]
pub struct Area {
    /// `TN` or the commune's official code.
    pub code: String,
    pub name_fr: String,
    pub name_ar: String,
    /// Extent in EPSG:4326 (minx, miny, maxx, maxy).
    pub bbox: [f64; 4],
}

impl Area {
    pub fn is_national(&self) -> bool {
        self.code == NATIONAL
    }
}

/// The commune with this official code, or the country for `TN`; a clear error otherwise.
pub async fn find(pool: &PgPool, code: &str) -> Result<Area, AppError> {
    let code = code.trim();
    let national = code.eq_ignore_ascii_case(NATIONAL);
    if !national && (code.len() != 4 || !code.bytes().all(|b| b.is_ascii_digit())) {
        return Err(AppError::bad_request(format!(
            "`{code}` is not a commune code: use the 4-digit official code (e.g. 1111 for Tunis) or {NATIONAL} for the whole country"
        )));
    }
    let row: Option<(String, String, f64, f64, f64, f64)> =
        sqlx::query_as(include_str!("sql/area.sql"))
            .bind(national)
            .bind(code)
            .fetch_optional(pool)
            .await?;
    match row {
        Some((name_fr, name_ar, x1, y1, x2, y2)) => Ok(Area {
            code: if national { NATIONAL.into() } else { code.into() },
            name_fr,
            name_ar,
            bbox: [x1, y1, x2, y2],
        }),
        None => Err(AppError::not_found(format!(
            "no current commune has the code {code}; the communes are listed at /collections/municipalities/items (property `code`), or use {NATIONAL} for the whole country"
        ))),
    }
}
