//! What can go wrong with projects, monitoring and assignments, and how each case reaches the client.
use crate::{auth::AuthError, error::area_error};

area_error! {
    pub enum ProjectsError {
        /// A parameter or body field is missing or malformed; the message says what is valid.
        #[error("{0}")] Invalid(String) => BadRequest,
        #[error("no project with code '{0}' (or it is not public and this key may not see it)")]
        NotFound(String) => NotFound,
        /// Something inside a visible project (e.g. a funding line) does not exist.
        #[error("{0}")] Missing(String) => NotFound,
        /// The request is valid but the project's state refuses it (e.g. a lifecycle transition).
        #[error("{0}")] Conflict(String) => Conflict,
        ;
        Auth(AuthError),
        Db(sqlx::Error),
    }
}

pub type PResult<T> = Result<T, ProjectsError>;
