//! The one error type at the HTTP edge. Every capability error converts into it; it renders as an
//! OGC API exception (`{"code", "description"}`) with the right status. 5xx details are logged, never
//! returned: a server failure with an underlying error ([`AppError::internal`]) keeps it as its
//! `source`, and the log line carries the whole chain.
use axum::{
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    PreconditionFailed(String),
    #[error("{0}")]
    Unprocessable(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    NotAcceptable(String),
    #[error("{0}")]
    MethodNotAllowed(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// 429 with `Retry-After: <retry_after>` (seconds).
    #[error("too many requests from this address; retry in {retry_after} s")]
    TooManyRequests { retry_after: u64 },
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// A broken invariant with nothing underneath (a panic, an impossible state).
    #[error("internal error: {0}")]
    Internal(String),
    /// A server failure caused by another error (a database error the client cannot fix, an I/O
    /// or task failure): `what` says what was being done; the cause is kept for the log.
    #[error("internal error: {what}")]
    Failed {
        what: String,
        #[source]
        source: BoxError,
    },
}

/// The cause an [`AppError::Failed`] keeps.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            Self::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::NotAcceptable(_) => StatusCode::NOT_ACCEPTABLE,
            Self::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) | Self::Failed { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::BadRequest(_) => "InvalidParameterValue",
            Self::NotFound(_) => "NotFound",
            Self::Unauthorized(_) => "Unauthorized",
            Self::Forbidden(_) => "Forbidden",
            Self::Conflict(_) => "Conflict",
            Self::PreconditionFailed(_) => "PreconditionFailed",
            Self::Unprocessable(_) => "InvalidValue",
            Self::PayloadTooLarge(_) => "PayloadTooLarge",
            Self::NotAcceptable(_) => "NotAcceptable",
            Self::MethodNotAllowed(_) => "MethodNotAllowed",
            Self::UnsupportedMediaType(_) => "UnsupportedMediaType",
            Self::TooManyRequests { .. } => "TooManyRequests",
            Self::Unavailable(_) => "ServiceUnavailable",
            Self::Internal(_) | Self::Failed { .. } => "ServerError",
        }
    }

    pub fn bad_request(msg: impl Into<String>) -> Self {
        Self::BadRequest(msg.into())
    }
    pub fn not_found(msg: impl Into<String>) -> Self {
        Self::NotFound(msg.into())
    }
    /// A server failure while doing `what`, caused by `source` (kept, and logged with its chain).
    pub fn internal(what: impl Into<String>, source: impl Into<BoxError>) -> Self {
        Self::Failed {
            what: what.into(),
            source: source.into(),
        }
    }
}

/// `e` and its causes, outermost first: `a: b: c`.
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        out.push_str(": ");
        out.push_str(&c.to_string());
        cause = c.source();
    }
    out
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_) => Self::Unavailable(e.to_string()),
            sqlx::Error::RowNotFound => Self::NotFound("no such record".into()),
            sqlx::Error::Database(db) => match db.code().as_deref() {
                // connection failures reported by the server
                Some(c) if c.starts_with("08") || c == "57P01" || c == "57P03" => {
                    Self::Unavailable(e.to_string())
                }
                Some("57014") => {
                    Self::Unavailable("the query took too long and was cancelled".into())
                }
                // a transaction that lost a race: nothing was written, the same request can be retried
                Some("40001" | "40P01" | "55P03") => Self::Unavailable(format!(
                    "a concurrent change got in the way ({}); nothing was changed, retry the request",
                    db.message()
                )),
                // data exceptions and size limits: raised by a value the client sent
                Some(c) if c.starts_with("22") || c == "54000" => {
                    tracing::warn!(error = %db.message(), "value rejected by the database");
                    Self::BadRequest(format!(
                        "a value was refused by the database: {}",
                        db.message()
                    ))
                }
                _ => Self::internal("database query", e),
            },
            _ => Self::internal("database query", e),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let description = match &self {
            Self::Internal(detail) => {
                tracing::error!(error = %detail, "internal error");
                INTERNAL.to_string()
            }
            Self::Failed { .. } => {
                tracing::error!(error = %chain(&self), "internal error");
                INTERNAL.to_string()
            }
            Self::Unavailable(detail) => {
                tracing::warn!(error = %detail, "database unavailable");
                "the database is unavailable; retry shortly".to_string()
            }
            other => clip(other.to_string()),
        };
        let mut resp = (
            status,
            Json(json!({ "code": self.code(), "description": description })),
        )
            .into_response();
        if status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        if let Self::TooManyRequests { retry_after } = self {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(retry_after));
        }
        resp
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// What a client is told about a 500.
const INTERNAL: &str = "internal server error; the details are in the server log";

/// Longest error description returned: a message that quotes what the client sent (a 20,000
/// character code) is cut, so an error never echoes a whole oversized input.
const MAX_DESCRIPTION: usize = 2000;

fn clip(s: String) -> String {
    if s.chars().count() <= MAX_DESCRIPTION {
        return s;
    }
    let mut out: String = s.chars().take(MAX_DESCRIPTION).collect();
    out.push_str("… (cut)");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        assert_eq!(AppError::bad_request("x").status(), StatusCode::BAD_REQUEST);
        assert_eq!(
            AppError::from(sqlx::Error::PoolTimedOut).status(),
            StatusCode::SERVICE_UNAVAILABLE
        );
        assert_eq!(
            AppError::from(sqlx::Error::RowNotFound).status(),
            StatusCode::NOT_FOUND
        );
    }

    #[test]
    fn an_internal_error_keeps_its_cause_and_tells_the_client_nothing() {
        let io = std::io::Error::other("disk on fire");
        let e = AppError::internal("reading a style", io);
        assert_eq!(e.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let source = std::error::Error::source(&e).map(|s| s.to_string());
        assert_eq!(source.as_deref(), Some("disk on fire"));
        assert_eq!(chain(&e), "internal error: reading a style: disk on fire");
        let db = AppError::from(sqlx::Error::Protocol("bad message".into()));
        assert!(std::error::Error::source(&db).is_some(), "{db:?}");
        let resp = e.into_response();
        assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn too_many_requests_says_when_to_retry() {
        let resp = AppError::TooManyRequests { retry_after: 7 }.into_response();
        assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(resp.headers()[header::RETRY_AFTER], "7");
    }
}

/// A query string deserialized into `T`; a malformed one is a 400 `invalid query string: …`
/// (axum's `Query` with this crate's error).
#[derive(Debug, Clone, Default)]
pub struct QueryParams<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> axum::extract::FromRequestParts<S>
    for QueryParams<T>
{
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, AppError> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(q)| Self(q))
            .map_err(|e| AppError::BadRequest(format!("invalid query string: {}", e.body_text())))
    }
}

/// An area's error enum and its one way to [`AppError`]: each variant names the `AppError` it
/// reaches the client as, with the variant's own message (its `#[error]`); the variants after `;`
/// wrap another error (`#[error(transparent)]`, `#[from]`) and convert as that error does.
/// Written once here so that no area restates the `From<…> for AppError` match.
macro_rules! area_error {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $var:ident $(($($f:ty),*))? $({$($fname:ident: $ft:ty),*})? => $app:ident,
            )*
            ;
            $($pass:ident($pty:ty)),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, thiserror::Error)]
        pub enum $name {
            $(
                $(#[$vmeta])*
                $var $(($($f),*))? $({$($fname: $ft),*})?,
            )*
            $(
                #[error(transparent)]
                $pass(#[from] $pty),
            )*
        }

        impl From<$name> for $crate::error::AppError {
            fn from(e: $name) -> Self {
                match e {
                    $(e @ $name::$var { .. } => $crate::error::AppError::$app(e.to_string()),)*
                    $($name::$pass(inner) => inner.into(),)*
                }
            }
        }
    };
}
pub(crate) use area_error;
