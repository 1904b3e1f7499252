//! What can go wrong with API keys, and how each case reaches the client.
use crate::error::area_error;

/// How to send a key, repeated in every 401 so the fix is in the message.
pub const HOW_TO_SEND: &str = "send it as 'Authorization: Bearer mk_…', as 'X-API-Key: mk_…' \
     or as the query parameter '?api_key=mk_…'; an administrator creates keys with \
     `mokhattat keys create`";

area_error! {
    pub enum AuthError {
        #[error("this endpoint needs an API key: {HOW_TO_SEND}")]
        MissingKey => Unauthorized,
        #[error("the API key is malformed: a Mokhattat key looks like mk_XXXXXXXX_ followed by 43 letters and digits")]
        MalformedKey => Unauthorized,
        #[error("unknown API key: check that it was copied whole; {HOW_TO_SEND}")]
        UnknownKey => Unauthorized,
        #[error("the API key {prefix} was revoked; ask an administrator for a new one")]
        RevokedKey { prefix: String } => Unauthorized,
        #[error("{0}")] Forbidden(String) => Forbidden,
        /// A key request (CLI or HTTP) that cannot be honoured as given.
        #[error("{0}")] Invalid(String) => BadRequest,
        #[error("no API key with prefix '{0}'; `mokhattat keys list` or GET /api/keys shows the prefixes")]
        KeyNotFound(String) => NotFound,
        ;
        Db(sqlx::Error),
    }
}
