//! What can go wrong with IATI files and exports, and how each case reaches the client.
use crate::{auth::AuthError, error::area_error};

area_error! {
    pub enum IatiError {
        /// A request parameter the caller must fix.
        #[error("{0}")] Invalid(String) => BadRequest,
        /// The file is not well-formed XML, or not allowed XML (DTD, entities, too deep, too big).
        #[error("not a readable IATI file: {0}")] Malformed(String) => BadRequest,
        /// Well-formed XML that is not IATI 2.0x activities, or holds a code we do not know.
        #[error("{0}")] Content(String) => Unprocessable,
        #[error("{0}")] TooLarge(String) => PayloadTooLarge,
        #[error("{0}")] NotFound(String) => NotFound,
        ;
        Auth(AuthError),
        Db(sqlx::Error),
    }
}
