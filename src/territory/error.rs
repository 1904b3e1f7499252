//! What can go wrong in the gazetteer, and how each case reaches the client.
use crate::error::AppError;

#[derive(Debug, thiserror::Error)]
pub enum TerritoryError {
    /// A query parameter is missing or malformed; the message says what is valid.
    #[error("{0}")]
    InvalidParameter(String),
    /// `level=` names no administrative level (query parameter: 400).
    #[error("unknown level '{given}'; valid levels are: {}", valid.join(", "))]
    UnknownLevel { given: String, valid: Vec<String> },
    /// A path names no administrative level (404).
    #[error("no administrative level '{given}'; valid levels are: {}", valid.join(", "))]
    LevelNotFound { given: String, valid: Vec<String> },
    #[error("no {level} with code '{code}'; find codes with /api/units?q=NAME&level={level}")]
    UnitNotFound { level: String, code: String },
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl From<TerritoryError> for AppError {
    fn from(e: TerritoryError) -> Self {
        match e {
            TerritoryError::InvalidParameter(_) | TerritoryError::UnknownLevel { .. } => {
                AppError::BadRequest(e.to_string())
            }
            TerritoryError::LevelNotFound { .. } | TerritoryError::UnitNotFound { .. } => {
                AppError::NotFound(e.to_string())
            }
            TerritoryError::Db(db) => AppError::from(db),
        }
    }
}
