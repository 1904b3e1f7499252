//! What can go wrong with IATI files and exports, and how each case reaches the client.
use crate::{auth::AuthError, error::AppError};

#[derive(Debug, thiserror::Error)]
pub enum IatiError {
    /// A request parameter the caller must fix.
    #[error("{0}")]
    Invalid(String),
    /// The file is not well-formed XML, or not allowed XML (DTD, entities, too deep, too big).
    #[error("not a readable IATI file: {0}")]
    Malformed(String),
    /// Well-formed XML that is not IATI 2.0x activities, or holds a code we do not know.
    #[error("{0}")]
    Content(String),
    #[error("{0}")]
    TooLarge(String),
    #[error("{0}")]
    NotFound(String),
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl From<IatiError> for AppError {
    fn from(e: IatiError) -> Self {
        match e {
            IatiError::Invalid(m) => AppError::BadRequest(m),
            e @ IatiError::Malformed(_) => AppError::BadRequest(e.to_string()),
            IatiError::Content(m) => AppError::Unprocessable(m),
            IatiError::TooLarge(m) => AppError::PayloadTooLarge(m),
            IatiError::NotFound(m) => AppError::NotFound(m),
            IatiError::Auth(a) => a.into(),
            IatiError::Db(db) => AppError::from(db),
        }
    }
}
