//! The extractors: [`Caller`] (anyone, possibly anonymous), [`RequireKey`] (any valid key, else 401)
//! and [`RequireAdmin`] (an admin key: 401 without a key, 403 with another role).
//!
//! The key is read, in this order, from `Authorization: Bearer <key>`, `X-API-Key: <key>` and the
//! `api_key` query parameter (QGIS and GDAL append the connection URL's query string to every
//! request). Empty values count as absent; another `Authorization` scheme (e.g. Basic) is ignored.
//! No key → [`Caller::Anonymous`]; a key that is malformed, unknown or revoked → 401, even on public
//! endpoints, so that a client never silently reads as anonymous with a broken key.
use std::collections::HashMap;

use axum::{
    extract::{FromRequestParts, Query},
    http::{header, request::Parts},
};

use super::{caller::Caller, error::AuthError, store};
use crate::{error::AppError, state::AppState};

const X_API_KEY: &str = "x-api-key";
pub const QUERY_PARAM: &str = "api_key";

/// The key a request presents, if any.
pub fn presented_key(parts: &Parts) -> Result<Option<String>, AuthError> {
    let header_text = |name: &str| -> Result<Option<String>, AuthError> {
        match parts.headers.get(name) {
            None => Ok(None),
            Some(v) => v
                .to_str()
                .map(|s| Some(s.trim().to_string()))
                .map_err(|_| AuthError::MalformedKey),
        }
    };
    if let Some(auth) = header_text(header::AUTHORIZATION.as_str())? {
        if let Some((scheme, token)) = auth.split_once(' ') {
            let token = token.trim();
            if scheme.eq_ignore_ascii_case("bearer") && !token.is_empty() {
                return Ok(Some(token.to_string()));
            }
        }
    }
    if let Some(k) = header_text(X_API_KEY)?.filter(|k| !k.is_empty()) {
        return Ok(Some(k));
    }
    if parts.uri.query().is_some_and(|q| q.contains(QUERY_PARAM)) {
        let Query(params) = Query::<HashMap<String, String>>::try_from_uri(&parts.uri)
            .map_err(|_| AuthError::MalformedKey)?;
        if let Some(k) = params.get(QUERY_PARAM).map(|k| k.trim()) {
            if !k.is_empty() {
                return Ok(Some(k.to_string()));
            }
        }
    }
    Ok(None)
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        if let Some(c) = parts.extensions.get::<Caller>() {
            return Ok(c.clone());
        }
        let caller = match presented_key(parts)? {
            None => Caller::Anonymous,
            Some(k) => store::authenticate(&state.pool, &k).await?,
        };
        parts.extensions.insert(caller.clone());
        Ok(caller)
    }
}

/// Any valid key; anonymous requests get 401 with `WWW-Authenticate`.
#[derive(Debug, Clone)]
pub struct RequireKey(pub Caller);

impl FromRequestParts<AppState> for RequireKey {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let caller = Caller::from_request_parts(parts, state).await?;
        caller.require_key()?;
        Ok(Self(caller))
    }
}

/// An admin key: 401 without a key, 403 with a planner or partner key.
#[derive(Debug, Clone)]
pub struct RequireAdmin(pub Caller);

impl FromRequestParts<AppState> for RequireAdmin {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let caller = Caller::from_request_parts(parts, state).await?;
        caller.require_admin()?;
        Ok(Self(caller))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;

    fn parts(uri: &str, headers: &[(&str, &str)]) -> Parts {
        let mut b = Request::builder().uri(uri);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(()).unwrap().into_parts().0
    }

    #[test]
    fn reads_the_key_from_each_place() {
        let k = |p: &Parts| presented_key(p).unwrap();
        assert_eq!(k(&parts("/x", &[])), None);
        assert_eq!(
            k(&parts("/x", &[("authorization", "Bearer abc")])).as_deref(),
            Some("abc")
        );
        assert_eq!(
            k(&parts("/x", &[("authorization", "bearer  abc ")])).as_deref(),
            Some("abc")
        );
        assert_eq!(k(&parts("/x", &[("authorization", "Basic Zm9v")])), None);
        assert_eq!(
            k(&parts("/x", &[("x-api-key", "def")])).as_deref(),
            Some("def")
        );
        assert_eq!(
            k(&parts("/x?f=json&api_key=ghi", &[])).as_deref(),
            Some("ghi")
        );
        assert_eq!(k(&parts("/x?api_key=", &[])), None);
        assert_eq!(
            k(&parts("/x?api_key=ghi", &[("authorization", "Bearer abc")])).as_deref(),
            Some("abc")
        );
    }
}
