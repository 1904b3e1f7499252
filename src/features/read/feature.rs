//! A request on a collection's items (`/collections/{id}/items`) or on one of them
//! (`/collections/{id}/items/{fid}`), whatever its method: read, created, replaced, patched or
//! deleted.
use axum::{
    extract::{FromRequestParts, Path, Query},
    http::{request::Parts, HeaderMap},
    response::{IntoResponse, Response},
};
use serde::de::DeserializeOwned;

use super::params::Pairs;
use crate::auth::Caller;
use crate::auth::KeyState;

/// The path's ids (`P`: the collection id, or the collection and feature ids), the query, the
/// headers and the caller.
pub struct ItemsRequest<P> {
    pub path: P,
    pub headers: HeaderMap,
    pub q: Pairs,
    pub who: Caller,
}

/// `/collections/{id}/items`.
pub type CollectionRequest = ItemsRequest<String>;
/// `/collections/{id}/items/{fid}`.
pub type FeatureRequest = ItemsRequest<(String, String)>;

/// The path's parameters and the query's pairs, each rejected as axum rejects them.
pub async fn path_and_query<P: DeserializeOwned + Send, S: Send + Sync>(
    parts: &mut Parts,
    state: &S,
) -> Result<(P, Pairs), Response> {
    let Path(path) = Path::<P>::from_request_parts(parts, state)
        .await
        .map_err(IntoResponse::into_response)?;
    let Query(q) = Query::<Pairs>::from_request_parts(parts, state)
        .await
        .map_err(IntoResponse::into_response)?;
    Ok((path, q))
}

impl<S: KeyState, P: DeserializeOwned + Send> FromRequestParts<S> for ItemsRequest<P> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let (path, q) = path_and_query(parts, state).await?;
        let who = Caller::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let headers = parts.headers.clone();
        Ok(Self {
            path,
            headers,
            q,
            who,
        })
    }
}
