//! What can go wrong with land-use conformity, and how each case reaches the client.
use crate::{auth::AuthError, error::AppError};

#[derive(Debug, thiserror::Error)]
pub enum LanduseError {
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Unsupported(String),
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl From<LanduseError> for AppError {
    fn from(e: LanduseError) -> Self {
        match e {
            LanduseError::Invalid(m) => AppError::BadRequest(m),
            LanduseError::Unsupported(m) => AppError::BadRequest(m),
            LanduseError::Auth(a) => a.into(),
            LanduseError::Db(db) => AppError::from(db),
        }
    }
}
