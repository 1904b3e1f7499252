//! What can go wrong with projects, monitoring and assignments, and how each case reaches the client.
use crate::{auth::AuthError, error::AppError};

#[derive(Debug, thiserror::Error)]
pub enum ProjectsError {
    /// A parameter or body field is missing or malformed; the message says what is valid.
    #[error("{0}")]
    Invalid(String),
    #[error("no project with code '{0}' (or it is not public and this key may not see it)")]
    NotFound(String),
    /// Something inside a visible project (e.g. a funding line) does not exist.
    #[error("{0}")]
    Missing(String),
    /// The request is valid but the project's state refuses it (e.g. a lifecycle transition).
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl From<ProjectsError> for AppError {
    fn from(e: ProjectsError) -> Self {
        match e {
            ProjectsError::Invalid(m) => AppError::BadRequest(m),
            ProjectsError::NotFound(_) => AppError::NotFound(e.to_string()),
            ProjectsError::Missing(m) => AppError::NotFound(m),
            ProjectsError::Conflict(m) => AppError::Conflict(m),
            ProjectsError::Auth(a) => a.into(),
            ProjectsError::Db(db) => AppError::from(db),
        }
    }
}

pub type PResult<T> = Result<T, ProjectsError>;
