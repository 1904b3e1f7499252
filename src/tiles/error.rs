//! Errors of the tiles capability.
use crate::error::AppError;

#[derive(Debug, thiserror::Error)]
pub enum TileError {
    #[error("{0}")]
    UnknownSource(String),
    #[error("{0}")]
    BadCoordinates(String),
    #[error("{0}")]
    BadFilter(String),
    #[error("{0}")]
    NotFound(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl From<TileError> for AppError {
    fn from(e: TileError) -> Self {
        match e {
            TileError::UnknownSource(m) | TileError::NotFound(m) => AppError::NotFound(m),
            TileError::BadCoordinates(m) | TileError::BadFilter(m) => AppError::BadRequest(m),
            TileError::Db(e) => AppError::from(e),
        }
    }
}
