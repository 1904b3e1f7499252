//! What can go wrong with API keys, and how each case reaches the client.
use crate::error::AppError;

/// How to send a key, repeated in every 401 so the fix is in the message.
pub const HOW_TO_SEND: &str = "send it as 'Authorization: Bearer mk_…', as 'X-API-Key: mk_…' \
     or as the query parameter '?api_key=mk_…'; an administrator creates keys with \
     `mokhattat keys create`";

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("this endpoint needs an API key: {HOW_TO_SEND}")]
    MissingKey,
    #[error("the API key is malformed: a Mokhattat key looks like mk_XXXXXXXX_ followed by 43 letters and digits")]
    MalformedKey,
    #[error("unknown API key: check that it was copied whole; {HOW_TO_SEND}")]
    UnknownKey,
    #[error("the API key {prefix} was revoked; ask an administrator for a new one")]
    RevokedKey { prefix: String },
    #[error("{0}")]
    Forbidden(String),
    /// A key request (CLI or HTTP) that cannot be honoured as given.
    #[error("{0}")]
    Invalid(String),
    #[error(
        "no API key with prefix '{0}'; `mokhattat keys list` or GET /api/keys shows the prefixes"
    )]
    KeyNotFound(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl From<AuthError> for AppError {
    fn from(e: AuthError) -> Self {
        match e {
            AuthError::MissingKey
            | AuthError::MalformedKey
            | AuthError::UnknownKey
            | AuthError::RevokedKey { .. } => AppError::Unauthorized(e.to_string()),
            AuthError::Forbidden(_) => AppError::Forbidden(e.to_string()),
            AuthError::Invalid(_) => AppError::BadRequest(e.to_string()),
            AuthError::KeyNotFound(_) => AppError::NotFound(e.to_string()),
            AuthError::Db(db) => AppError::from(db),
        }
    }
}
