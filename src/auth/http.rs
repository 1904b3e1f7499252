//! HTTP key administration (admin only) and `whoami` (anyone).
use axum::{
    extract::{rejection::JsonRejection, Path, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde_json::{json, Value};

use super::{
    caller::Caller,
    error::AuthError,
    extract::RequireAdmin,
    store::{self, KeyStore, NewKey},
};
use crate::error::AppResult;

/// The warning that comes with every new key.
pub const SHOWN_ONCE: &str =
    "store this key now: it is shown only once and cannot be recovered (only its hash is kept)";

/// `GET /api/whoami`: the caller's role and scope; `{"role": "anonymous"}` without a key.
pub async fn whoami(caller: Caller) -> Json<Value> {
    Json(match &caller {
        Caller::Anonymous => json!({ "role": "anonymous" }),
        Caller::Admin { prefix, name, .. } => {
            json!({ "role": "admin", "prefix": prefix, "name": name })
        }
        Caller::Planner {
            prefix,
            name,
            municipalities,
            ..
        } => {
            json!({ "role": "planner", "prefix": prefix, "name": name, "municipalities": municipalities })
        }
        Caller::Partner {
            prefix,
            name,
            partner,
            ..
        } => json!({ "role": "partner", "prefix": prefix, "name": name, "partner": partner }),
    })
}

/// `GET /api/keys`: every key, without secrets.
pub async fn list(_: RequireAdmin, State(keys): State<KeyStore>) -> AppResult<Json<Value>> {
    let keys = store::list(keys.pool()).await?;
    Ok(Json(json!({ "keys": keys })))
}

/// `GET /api/keys/{prefix}`.
pub async fn get(
    _: RequireAdmin,
    State(keys): State<KeyStore>,
    Path(prefix): Path<String>,
) -> AppResult<Json<store::KeyInfo>> {
    Ok(Json(store::get(keys.pool(), &prefix).await?))
}

/// `POST /api/keys` with `{name, role, municipalities?, partner?}` → 201 with the key, shown once.
pub async fn create(
    RequireAdmin(admin): RequireAdmin,
    State(keys): State<KeyStore>,
    body: Result<Json<NewKey>, JsonRejection>,
) -> AppResult<Response> {
    let Json(req) = body.map_err(|e| {
        AuthError::Invalid(format!(
            "{}; send JSON like {{\"name\": \"Tunis planning\", \"role\": \"planner\", \"municipalities\": [\"1111\"]}} \
             (role: admin, planner or partner; partner keys need \"partner\")",
            e.body_text()
        ))
    })?;
    let created = store::create(keys.pool(), req).await?;
    tracing::info!(by = %admin.author(), prefix = %created.info.prefix, "API key created over HTTP");
    let location = format!("/api/keys/{}", created.info.prefix);
    let mut body = serde_json::to_value(&created).unwrap_or_default();
    body["warning"] = json!(SHOWN_ONCE);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(body),
    )
        .into_response())
}

/// `DELETE /api/keys/{prefix}` → 204 (revoking a revoked key is fine).
pub async fn revoke(
    RequireAdmin(admin): RequireAdmin,
    State(keys): State<KeyStore>,
    Path(prefix): Path<String>,
) -> AppResult<StatusCode> {
    let info = store::revoke(keys.pool(), &prefix).await?;
    tracing::info!(by = %admin.author(), prefix = %info.prefix, "API key revoked over HTTP");
    Ok(StatusCode::NO_CONTENT)
}
