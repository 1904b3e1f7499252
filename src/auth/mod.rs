//! API keys, roles and scopes, and the extractor every write endpoint uses.
//!
//! - [`Caller`]: extractor resolving the request's key (anonymous without one; 401 for a bad one),
//!   with the permission helpers (`require_admin`, `can_edit_municipality`, `can_edit_project`,
//!   `visibility`…). [`RequireKey`] and [`RequireAdmin`] reject early.
//! - [`visibility`]: the one project-visibility rule (`mk_project_visible`, migration 0012), pushed
//!   into every query that reads projects.
//! - Keys are `mk_<prefix>_<secret>`, shown once, stored as SHA-256 (see [`key`]).
//! - HTTP: `GET /api/whoami` (anyone), `GET|POST /api/keys`, `GET|DELETE /api/keys/{prefix}` (admin).
//! - CLI: `mokhattat keys create|list|revoke` ([`run_keys`]).
pub mod caller;
pub mod cli;
pub mod error;
pub mod extract;
pub mod http;
pub mod key;
pub mod store;
pub mod visibility;

use axum::{extract::FromRef, routing::get, Router};

pub use caller::{Caller, KeyRole, Visibility};
pub use cli::{run_keys, KeysCommand};
pub use error::AuthError;
pub use extract::{query_key, redacted_uri, KeyState, RequireAdmin, RequireKey};
pub use store::KeyStore;

/// The key routes, for any router state that hands out a [`KeyStore`].
pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    KeyStore: FromRef<S>,
{
    Router::new()
        .route("/api/whoami", get(http::whoami))
        .route("/api/keys", get(http::list).post(http::create))
        .route("/api/keys/{prefix}", get(http::get).delete(http::revoke))
}
