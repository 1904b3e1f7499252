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
    /// A database error while doing `what` (made by [`FeaturesError::db`]).
    #[error("{what}: {source}")]
    Db {
        what: &'static str,
        #[source]
        source: sqlx::Error,
    },
    /// Anything else the server got wrong, with the error that caused it.
    #[error("{what}: {source}")]
    Internal {
        what: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
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
            FeaturesError::Db { what, source } => match AppError::from(source) {
                AppError::Internal(m) => AppError::Internal(format!("{what}: {m}")),
                other => other,
            },
            e @ FeaturesError::Internal { .. } => AppError::Internal(e.to_string()),
        }
    }
}

impl axum::response::IntoResponse for FeaturesError {
    fn into_response(self) -> axum::response::Response {
        AppError::from(self).into_response()
    }
}

impl FeaturesError {
    /// The error of a database call made while doing `what` (`.map_err(FeaturesError::db("…"))`).
    ///
    /// Data errors raised by PostgreSQL or PostGIS while evaluating what the client sent (a
    /// coordinate that does not transform, a bad geometry literal, a number out of range) are the
    /// client's mistake: 400 with PostGIS's message. Everything else stays a server matter.
    pub fn db(what: &'static str) -> impl FnOnce(sqlx::Error) -> FeaturesError {
        move |source| {
            if let sqlx::Error::Database(db) = &source {
                let code = db.code().map(|c| c.to_string()).unwrap_or_default();
                if code.starts_with("22") || code == "XX000" {
                    tracing::warn!(error = %db.message(), what, "query rejected by the database");
                    return FeaturesError::BadParam(format!(
                        "the database could not evaluate the request: {}",
                        db.message()
                    ));
                }
            }
            FeaturesError::Db { what, source }
        }
    }

    /// A server-side failure while doing `what`, keeping the error that caused it.
    pub fn internal(
        what: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> FeaturesError {
        FeaturesError::Internal {
            what: what.into(),
            source: source.into(),
        }
    }
}

pub type FResult<T> = Result<T, FeaturesError>;
