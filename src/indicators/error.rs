//! What can go wrong with indicators and diagnoses, and how each case reaches the client.
use crate::{error::AppError, projects::ProjectsError};

#[derive(Debug, thiserror::Error)]
pub enum IndicatorsError {
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    NotFound(String),
    #[error(transparent)]
    Projects(#[from] ProjectsError),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl From<IndicatorsError> for AppError {
    fn from(e: IndicatorsError) -> Self {
        match e {
            IndicatorsError::Invalid(m) => AppError::BadRequest(m),
            IndicatorsError::NotFound(m) => AppError::NotFound(m),
            IndicatorsError::Projects(p) => p.into(),
            IndicatorsError::Db(db) => AppError::from(db),
        }
    }
}

pub type IResult<T> = Result<T, IndicatorsError>;
