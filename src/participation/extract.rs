//! What participation handlers read before their own work, written once. `Acting<R>`: the caller
//! may act on record `{id}` of kind `R` (a proposal or comment they moderate, a plan they write),
//! checked before the body is read, so a stranger gets 401/403/404 whatever they send;
//! `Participating`: an anonymous participant acting on a public record. `Body<T>`:
//! the JSON body checked by `input::parse`, with what to send said once by `T::EXPECTED`.
//! `Municipality`: the `?municipality=CODE` of the lists.
use std::{future::Future, marker::PhantomData};

use axum::{
    body::Bytes,
    extract::{rejection::QueryRejection, FromRequest, FromRequestParts, Path, Query, Request},
    http::request::Parts,
    response::{IntoResponse, Response},
};
use serde::{de::DeserializeOwned, Deserialize};
use sqlx::PgPool;

use super::{
    input::parse,
    participant::{participant, Participant},
};
use crate::{auth::Caller, error::AppError, error::AppResult, state::AppState};

/// A kind of record a caller acts on, and who may act on it (implemented next to the rule:
/// `moderation` for proposals and comments, `plans` for plans).
pub trait Record: Send + Sync {
    fn check(pool: &PgPool, caller: &Caller, id: i64)
        -> impl Future<Output = AppResult<()>> + Send;
}

/// A proposal, acted on by the moderators of its commune.
pub enum Proposal {}
/// A comment, acted on by the moderators of its proposal's commune.
pub enum Comment {}
/// A plan, written by admins and the planners of its commune.
pub enum Plan {}

/// The caller, allowed to act on record `id` (the path's `{id}`) of kind `R`.
pub struct Acting<R> {
    pub pool: PgPool,
    pub id: i64,
    pub caller: Caller,
    kind: PhantomData<R>,
}

impl<R: Record> FromRequestParts<AppState> for Acting<R> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Response> {
        let Path(id) = Path::<i64>::from_request_parts(parts, st)
            .await
            .map_err(IntoResponse::into_response)?;
        let caller = Caller::from_request_parts(parts, st)
            .await
            .map_err(IntoResponse::into_response)?;
        R::check(&st.pool, &caller, id)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(Self {
            pool: st.pool.clone(),
            id,
            caller,
            kind: PhantomData,
        })
    }
}

/// A participant (anonymous: the token or cookie they carry, or one issued now) acting on the
/// public proposal or comment `{id}`.
pub struct Participating {
    pub pool: PgPool,
    pub id: i64,
    pub participant: Participant,
}

impl FromRequestParts<AppState> for Participating {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Response> {
        let Path(id) = Path::<i64>::from_request_parts(parts, st)
            .await
            .map_err(IntoResponse::into_response)?;
        let participant = participant(&parts.headers).map_err(IntoResponse::into_response)?;
        Ok(Self {
            pool: st.pool.clone(),
            id,
            participant,
        })
    }
}

/// A request body: what a client must send, said in every refusal.
pub trait Expected: DeserializeOwned {
    const EXPECTED: &'static str;
}

/// The JSON body, parsed and checked by `input::parse`.
pub struct Body<T>(pub T);

impl<S: Send + Sync, T: Expected> FromRequest<S> for Body<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Response> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        parse(&bytes, T::EXPECTED)
            .map(Body)
            .map_err(IntoResponse::into_response)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MunicipalityQuery {
    municipality: Option<String>,
}

/// `?municipality=CODE` (optional), the only parameter of the plan and meeting lists.
pub struct Municipality(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for Municipality {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let q: Result<Query<MunicipalityQuery>, QueryRejection> =
            Query::from_request_parts(parts, state).await;
        match q {
            Ok(Query(q)) => Ok(Self(q.municipality)),
            Err(_) => Err(AppError::bad_request(
                "the only parameter is ?municipality=CODE",
            )),
        }
    }
}
