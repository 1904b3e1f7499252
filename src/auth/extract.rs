//! The extractors: [`Caller`] (anyone, possibly anonymous), [`RequireKey`] (any valid key, else 401)
//! and [`RequireAdmin`] (an admin key: 401 without a key, 403 with another role).
//!
//! The key is read, in this order, from `Authorization: Bearer <key>`, `X-API-Key: <key>` and the
//! `api_key` query parameter (QGIS and GDAL append the connection URL's query string to every
//! request). Empty values count as absent; another `Authorization` scheme (e.g. Basic) is ignored.
//! No key → [`Caller::Anonymous`]; a key that is malformed, unknown or revoked → 401, even on public
//! endpoints, so that a client never silently reads as anonymous with a broken key.
use axum::{
    extract::{FromRef, FromRequestParts},
    http::{header, request::Parts},
};

use super::{
    caller::Caller,
    error::AuthError,
    store::{self, KeyStore},
};
use crate::error::AppError;

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
    query_key(parts.uri.query())
}

/// The `api_key` of a query string, decoded the one way every part of the server decodes query
/// strings (`api_k%65y=` is `api_key=`). Two different keys are refused.
pub fn query_key(query: Option<&str>) -> Result<Option<String>, AuthError> {
    let Some(q) = query.filter(|q| !q.is_empty()) else {
        return Ok(None);
    };
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(q).map_err(|_| AuthError::MalformedKey)?;
    let mut found: Option<String> = None;
    for (name, value) in pairs {
        let value = value.trim();
        if name != QUERY_PARAM || value.is_empty() {
            continue;
        }
        match &found {
            Some(k) if k != value => return Err(AuthError::MalformedKey),
            _ => found = Some(value.to_string()),
        }
    }
    Ok(found)
}

/// The URI with the value of every `api_key` parameter replaced by `***`, for logs and traces.
pub fn redacted_uri(uri: &axum::http::Uri) -> String {
    let Some(q) = uri.query() else {
        return uri.to_string();
    };
    let redacted: Vec<String> = q
        .split('&')
        .map(|kv| {
            let (name, _) = kv.split_once('=').unwrap_or((kv, ""));
            let decoded: String = serde_urlencoded::from_str::<Vec<(String, String)>>(kv)
                .ok()
                .and_then(|v| v.into_iter().next())
                .map(|(n, _)| n)
                .unwrap_or_else(|| name.to_string());
            if decoded == QUERY_PARAM {
                format!("{name}=***")
            } else {
                kv.to_string()
            }
        })
        .collect();
    format!("{}?{}", uri.path(), redacted.join("&"))
}

/// A router state that hands out the [`KeyStore`] (`FromRef`): all the [`Caller`] extractors need,
/// named once so a capability's routes can ask for it by one trait (`ctx::CtxState`).
pub trait KeyState: Send + Sync {
    fn keys(&self) -> KeyStore;
}

impl<S: Send + Sync> KeyState for S
where
    KeyStore: FromRef<S>,
{
    fn keys(&self) -> KeyStore {
        KeyStore::from_ref(self)
    }
}

/// Needs only the [`KeyStore`]: any router state that can hand one out (`FromRef`) will do.
impl<S: KeyState> FromRequestParts<S> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        if let Some(c) = parts.extensions.get::<Caller>() {
            return Ok(c.clone());
        }
        let caller = match presented_key(parts)? {
            None => Caller::Anonymous,
            Some(k) => store::authenticate(state.keys().pool(), &k).await?,
        };
        parts.extensions.insert(caller.clone());
        Ok(caller)
    }
}

/// An extractor holding the [`Caller`] once `check` accepted it (the caller's error otherwise).
macro_rules! requiring {
    ($(#[$doc:meta])* $name:ident, $check:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name(pub Caller);

        impl<S: KeyState> FromRequestParts<S> for $name {
            type Rejection = AppError;

            async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
                let caller = Caller::from_request_parts(parts, state).await?;
                caller.$check()?;
                Ok(Self(caller))
            }
        }
    };
}

requiring!(
    /// Any valid key; anonymous requests get 401 with `WWW-Authenticate`.
    RequireKey,
    require_key
);
requiring!(
    /// An admin key: 401 without a key, 403 with a planner or partner key.
    RequireAdmin,
    require_admin
);

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
        assert_eq!(k(&parts("/x?api_k%65y=jkl", &[])).as_deref(), Some("jkl"));
        assert!(presented_key(&parts("/x?api_key=a&api_key=b", &[])).is_err());
    }

    #[test]
    fn redacts_keys_however_encoded() {
        let r = |u: &str| redacted_uri(&u.parse().unwrap());
        assert_eq!(r("/x?api_key=mk_secret&f=json"), "/x?api_key=***&f=json");
        assert_eq!(
            r("/x?f=json&api_k%65y=mk_secret"),
            "/x?f=json&api_k%65y=***"
        );
        assert_eq!(r("/x?f=json"), "/x?f=json");
        assert_eq!(r("/x"), "/x");
    }
}
