//! What participation handlers read from a request before their own work, written once:
//! `Params<T>`, the query string, refused with what to send (`Help::HELP`); `KeyHolder`, a caller
//! with a key who creates a commune's record; `Keyed`, a caller
//! (anonymous or keyed) and the record `{id}` they act on (`who`) — each handler then checks the right
//! with the rule of its record (`moderation::moderator_of`, `plans::writer_of`) before it reads the
//! body, as before; `Participating`, an anonymous participant (their token or cookie, or a new one)
//! and the public record `{id}`; `Authoring`, the author of proposal `{id}` by their edit token.
//! Nothing here decides who may do what.
use std::future::Future;

use axum::{
    extract::{FromRequestParts, Path, Query},
    http::request::Parts,
    response::{IntoResponse, Response},
};
use serde::de::DeserializeOwned;
use sqlx::PgPool;

use super::participant::{edit_token, participant, Participant};
use crate::{auth::Caller, error::AppError, state::AppState};

/// A query string: what a client must send, said when it sends something else.
pub trait Help: DeserializeOwned {
    const HELP: &'static str;
}

/// Query-string structs, each with `Deserialize`, unknown parameters refused and its [`Help`]:
/// `query_string! { pub struct ListQuery { … } help "use municipality, …" }`.
macro_rules! query_string {
    ($(#[$m:meta])* pub struct $name:ident { $($fields:tt)* } help $help:expr) => {
        $(#[$m])*
        #[derive(Debug, ::serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name { $($fields)* }

        impl $crate::participation::extract::Help for $name {
            const HELP: &'static str = $help;
        }
    };
}
pub(crate) use query_string;

/// The query string `T`, or a 400 saying `T::HELP`.
pub struct Params<T>(pub T);

impl<S: Send + Sync, T: Help> FromRequestParts<S> for Params<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(q)) => Ok(Self(q)),
            Err(_) => Err(AppError::bad_request(T::HELP)),
        }
    }
}

query_string! {
    /// `?municipality=CODE` (optional), the only parameter of the plan and meeting lists and exports.
    pub struct MunicipalityQuery {
        pub municipality: Option<String>,
    }
    help "the only parameter is ?municipality=CODE"
}

/// A caller with a key (401 otherwise, before the body is read) who creates a commune's record (a
/// plan, a meeting); their right on the commune is checked once the body names it ([`Self::commune`]).
pub struct KeyHolder {
    pub pool: PgPool,
    pub who: Caller,
}

impl FromRequestParts<AppState> for KeyHolder {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, AppError> {
        let who = Caller::from_request_parts(parts, st).await?;
        who.require_key()?;
        let pool = st.pool.clone();
        Ok(Self { pool, who })
    }
}

impl KeyHolder {
    /// The commune `municipality` the body names (required), which the caller must edit (403).
    pub fn commune(&self, municipality: Option<String>) -> Result<String, AppError> {
        let code = super::input::required(municipality, "municipality", "code")?;
        self.who.require_edit_municipality(&code)?;
        Ok(code)
    }
}

/// The path's record `{id}` and who acts on it: `Keyed` (a caller, their right not checked
/// yet) or `Participating` (an anonymous participant on a public record).
pub struct On<W> {
    pub pool: PgPool,
    pub id: i64,
    pub who: W,
}

pub type Keyed = On<Caller>;
pub type Participating = On<Participant>;
pub type Authoring = On<EditToken>;

/// The proposal's author, by the edit token their submission returned (`X-Edit-Token`, 403
/// without one), hashed; whether it is the token of the record `{id}` is the handler's check
/// (`proposals::check_author`).
pub struct EditToken(pub String);

/// Who may act on a record, read from the request's head.
pub trait Who: Sized {
    fn read(
        parts: &mut Parts,
        st: &AppState,
    ) -> impl Future<Output = Result<Self, Response>> + Send;
}

impl Who for Caller {
    async fn read(parts: &mut Parts, st: &AppState) -> Result<Self, Response> {
        Caller::from_request_parts(parts, st)
            .await
            .map_err(IntoResponse::into_response)
    }
}

impl Who for EditToken {
    async fn read(parts: &mut Parts, _: &AppState) -> Result<Self, Response> {
        edit_token(&parts.headers)
            .map(EditToken)
            .map_err(IntoResponse::into_response)
    }
}

impl Who for Participant {
    async fn read(parts: &mut Parts, _: &AppState) -> Result<Self, Response> {
        participant(&parts.headers).map_err(IntoResponse::into_response)
    }
}

impl<W: Who> FromRequestParts<AppState> for On<W> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Response> {
        let id = match Path::<i64>::from_request_parts(parts, st).await {
            Ok(Path(id)) => id,
            Err(e) => return Err(e.into_response()),
        };
        let who = W::read(parts, st).await?;
        let pool = st.pool.clone();
        Ok(Self { pool, id, who })
    }
}
