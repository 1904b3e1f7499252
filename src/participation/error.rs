//! Database refusals of the participation functions, as `AppError`s: the functions raise their own
//! SQLSTATEs (`MK404`, `MK403`, `MK409`) with a message that says what to do; constraint
//! violations are client mistakes (4xx), never a 500.
use crate::error::AppError;

pub fn db(e: sqlx::Error) -> AppError {
    if let sqlx::Error::Database(d) = &e {
        let msg = d.message().to_string();
        match d.code().as_deref() {
            Some("MK404") => return AppError::NotFound(msg),
            Some("MK403") => return AppError::Forbidden(msg),
            Some("MK409") => return AppError::Conflict(msg),
            Some("23505") => {
                return AppError::Conflict(format!("this already exists: {msg}"));
            }
            Some("23503") => {
                return AppError::BadRequest(format!("a referenced record does not exist: {msg}"));
            }
            Some("23514" | "23502") => {
                return AppError::BadRequest(format!("a value is not accepted: {msg}"));
            }
            _ => {}
        }
    }
    AppError::from(e)
}
