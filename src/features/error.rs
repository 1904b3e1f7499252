//! What can go wrong in the features API, and the HTTP status each case is.
use crate::error::AppError;

/// What can go wrong in the features API.
#[derive(Debug, thiserror::Error)]
pub enum FeaturesError {
    #[error("{0}")]
    BadParam(String),
    #[error("no collection `{0}`; see /collections for the list")]
    NoCollection(String),
    #[error("no feature `{1}` in collection {0}")]
    NoFeature(&'static str, String),
    #[error("{0}")]
    NotAcceptable(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Stale(String),
    #[error("{0}")]
    MethodNotAllowed(String),
    #[error("{0}")]
    UnsupportedMedia(String),
    #[error(transparent)]
    Db(sqlx::Error),
    #[error("{0}")]
    Internal(String),
}

impl From<FeaturesError> for AppError {
    fn from(e: FeaturesError) -> Self {
        match e {
            FeaturesError::BadParam(m) => AppError::BadRequest(m),
            e @ (FeaturesError::NoCollection(_) | FeaturesError::NoFeature(..)) => {
                AppError::NotFound(e.to_string())
            }
            FeaturesError::NotAcceptable(m) => AppError::NotAcceptable(m),
            FeaturesError::Unauthorized(m) => AppError::Unauthorized(m),
            FeaturesError::Forbidden(m) => AppError::Forbidden(m),
            FeaturesError::MethodNotAllowed(m) => AppError::MethodNotAllowed(m),
            FeaturesError::Invalid(m) => AppError::Unprocessable(m),
            FeaturesError::Conflict(m) => AppError::Conflict(m),
            FeaturesError::Stale(m) => AppError::PreconditionFailed(m),
            FeaturesError::UnsupportedMedia(m) => AppError::UnsupportedMediaType(m),
            FeaturesError::Db(e) => AppError::from(e),
            FeaturesError::Internal(m) => AppError::Internal(m),
        }
    }
}

impl axum::response::IntoResponse for FeaturesError {
    fn into_response(self) -> axum::response::Response {
        AppError::from(self).into_response()
    }
}

impl From<sqlx::Error> for FeaturesError {
    /// Data errors raised by PostgreSQL or PostGIS while evaluating what the client sent (a
    /// coordinate that does not transform, a bad geometry literal, a number out of range) are the
    /// client's mistake: 400 with PostGIS's message. Everything else stays a server matter.
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            let code = db.code().map(|c| c.to_string()).unwrap_or_default();
            if code.starts_with("22") || code == "XX000" {
                tracing::warn!(error = %db.message(), "query rejected by the database");
                return FeaturesError::BadParam(format!(
                    "the database could not evaluate the request: {}",
                    db.message()
                ));
            }
        }
        FeaturesError::Db(e)
    }
}

pub type FResult<T> = Result<T, FeaturesError>;
