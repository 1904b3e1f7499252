//! API keys in the database: create (validated), list, revoke, authenticate.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;

use super::{
    caller::{Caller, KeyRole},
    error::AuthError,
    key,
};

/// A key as listings show it: never the secret, never its hash.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct KeyInfo {
    pub prefix: String,
    pub name: String,
    pub role: String,
    pub municipalities: Vec<String>,
    pub partner: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl KeyInfo {
    /// The scope in words: `municipalities 1111, 1116`, `partner World Bank` or `all`.
    pub fn scope(&self) -> String {
        match self.role.as_str() {
            "planner" => format!("municipalities {}", self.municipalities.join(", ")),
            "partner" => format!("partner {}", self.partner.as_deref().unwrap_or("?")),
            _ => "all".to_string(),
        }
    }
}

/// A request to create a key (HTTP body or CLI arguments).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewKey {
    pub name: String,
    pub role: String,
    #[serde(default)]
    pub municipalities: Vec<String>,
    #[serde(default)]
    pub partner: Option<String>,
}

/// A created key: shown once.
#[derive(Debug, Clone, Serialize)]
pub struct CreatedKey {
    pub key: String,
    #[serde(flatten)]
    pub info: KeyInfo,
}

const COLUMNS: &str =
    "prefix, name, role, municipalities, partner, created_at, last_used_at, revoked_at";

/// The keys table, as the extractors and the key routes need it (`State<KeyStore>`), rather than
/// the whole application state.
#[derive(Clone)]
pub struct KeyStore {
    pool: PgPool,
}

impl KeyStore {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

fn invalid(msg: impl Into<String>) -> AuthError {
    AuthError::Invalid(msg.into())
}

/// Check a request against the scope rules and the database; returns the cleaned values.
async fn validate(pool: &PgPool, req: NewKey) -> Result<(KeyRole, NewKey), AuthError> {
    let role = KeyRole::parse(&req.role)?;
    let name = req.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(invalid(
            "a key needs a name of 1 to 200 characters saying who holds it",
        ));
    }
    let mut municipalities: Vec<String> = req
        .municipalities
        .iter()
        .map(|m| m.trim().to_string())
        .filter(|m| !m.is_empty())
        .collect();
    municipalities.sort();
    municipalities.dedup();
    let partner = req
        .partner
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty());
    let max = crate::guard::text_limit("partner");
    if partner.as_ref().is_some_and(|p| p.chars().count() > max) {
        return Err(invalid(format!(
            "a partner name has at most {max} characters, as in project.partner"
        )));
    }
    check_scope(role, &municipalities, partner.as_deref())?;
    if !municipalities.is_empty() {
        let known: Vec<String> = sqlx::query_scalar(
            "SELECT code FROM admin_unit WHERE level = 'municipality' AND valid_to IS NULL AND code = ANY($1)",
        )
        .bind(&municipalities)
        .fetch_all(pool)
        .await?;
        let unknown: Vec<&str> = municipalities
            .iter()
            .filter(|m| !known.contains(m))
            .map(String::as_str)
            .collect();
        if !unknown.is_empty() {
            return Err(invalid(format!(
                "no current municipality with code {}; codes are the official ones (e.g. 1111 for Tunis), \
                 find them with /api/units?q=NAME&level=municipality",
                unknown.join(", ")
            )));
        }
    }
    Ok((
        role,
        NewKey {
            name,
            role: role.as_str().to_string(),
            municipalities,
            partner,
        },
    ))
}

/// The scope a role takes: an admin none, a planner municipalities, a partner its partner name.
fn check_scope(
    role: KeyRole,
    municipalities: &[String],
    partner: Option<&str>,
) -> Result<(), AuthError> {
    match role {
        KeyRole::Admin if !municipalities.is_empty() || partner.is_some() => {
            Err(invalid(
                "an admin key is not scoped: give no municipalities and no partner",
            ))
        }
        KeyRole::Planner if municipalities.is_empty() => {
            Err(invalid(
                "a planner key needs at least one municipality (official code, e.g. --municipality 1111 \
                 or \"municipalities\": [\"1111\"]); find codes with /api/units?q=NAME&level=municipality",
            ))
        }
        KeyRole::Planner if partner.is_some() => {
            Err(invalid(
                "a planner key is scoped by municipalities, not by partner; use the role partner for a partner",
            ))
        }
        KeyRole::Partner if partner.is_none() => {
            Err(invalid(
                "a partner key needs a partner (--partner NAME or \"partner\": \"NAME\"): the value of \
                 project.partner for the projects it may edit",
            ))
        }
        KeyRole::Partner if !municipalities.is_empty() => {
            Err(invalid(
                "a partner key is scoped by its partner, not by municipalities; use the role planner for municipalities",
            ))
        }
        _ => Ok(()),
    }
}

/// Validate and store a new key; the returned key is the only time it is ever visible.
pub async fn create(pool: &PgPool, req: NewKey) -> Result<CreatedKey, AuthError> {
    let (role, req) = validate(pool, req).await?;
    let sql = format!(
        "INSERT INTO api_key (prefix, secret_sha256, name, role, municipalities, partner) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (prefix) DO NOTHING RETURNING {COLUMNS}"
    );
    // A prefix collision (1 in 2.8e12 per pair) just draws again.
    for _ in 0..5 {
        let secret = key::generate();
        let info: Option<KeyInfo> = sqlx::query_as(&sql)
            .bind(&secret.prefix)
            .bind(key::hash(&secret.key))
            .bind(&req.name)
            .bind(role.as_str())
            .bind(&req.municipalities)
            .bind(&req.partner)
            .fetch_optional(pool)
            .await?;
        if let Some(info) = info {
            tracing::info!(prefix = %info.prefix, role = %info.role, "API key created");
            return Ok(CreatedKey {
                key: secret.key,
                info,
            });
        }
    }
    Err(AuthError::Db(sqlx::Error::Protocol(
        "could not draw an unused key prefix".into(),
    )))
}

/// Every key, newest first.
pub async fn list(pool: &PgPool) -> Result<Vec<KeyInfo>, AuthError> {
    let sql = format!("SELECT {COLUMNS} FROM api_key ORDER BY created_at DESC, id DESC");
    Ok(sqlx::query_as(&sql).fetch_all(pool).await?)
}

/// One key by prefix.
pub async fn get(pool: &PgPool, prefix: &str) -> Result<KeyInfo, AuthError> {
    let sql = format!("SELECT {COLUMNS} FROM api_key WHERE prefix = $1");
    sqlx::query_as(&sql)
        .bind(prefix)
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| AuthError::KeyNotFound(prefix.to_string()))
}

/// Revoke a key by prefix (or by the whole key). Revoking twice keeps the first date.
pub async fn revoke(pool: &PgPool, prefix_or_key: &str) -> Result<KeyInfo, AuthError> {
    let given = prefix_or_key.trim();
    let prefix = key::prefix_of(given).unwrap_or(given);
    let sql = format!(
        "UPDATE api_key SET revoked_at = coalesce(revoked_at, now()) WHERE prefix = $1 RETURNING {COLUMNS}"
    );
    let info: KeyInfo = sqlx::query_as(&sql)
        .bind(prefix)
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| AuthError::KeyNotFound(prefix.to_string()))?;
    tracing::info!(prefix = %info.prefix, "API key revoked");
    Ok(info)
}

#[derive(sqlx::FromRow)]
struct KeyRow {
    id: i64,
    prefix: String,
    secret_sha256: String,
    name: String,
    role: String,
    municipalities: Vec<String>,
    partner: Option<String>,
    revoked: bool,
    stale: bool,
}

/// Resolve a presented key into a [`Caller`]: malformed, unknown (or wrong secret) and revoked keys
/// are 401. `last_used_at` is refreshed at most once a minute per key, without delaying the request.
pub async fn authenticate(pool: &PgPool, presented: &str) -> Result<Caller, AuthError> {
    let prefix = key::prefix_of(presented).ok_or(AuthError::MalformedKey)?;
    let row: Option<KeyRow> = sqlx::query_as(
        "SELECT id, prefix, secret_sha256, name, role, municipalities, partner, \
                revoked_at IS NOT NULL AS revoked, \
                (last_used_at IS NULL OR last_used_at < now() - interval '1 minute') AS stale \
         FROM api_key WHERE prefix = $1",
    )
    .bind(prefix)
    .fetch_optional(pool)
    .await?;
    let row = row.ok_or(AuthError::UnknownKey)?;
    if !key::same_hash(&key::hash(presented), &row.secret_sha256) {
        return Err(AuthError::UnknownKey);
    }
    if row.revoked {
        return Err(AuthError::RevokedKey { prefix: row.prefix });
    }
    if row.stale {
        touch(pool.clone(), row.id);
    }
    let (key_id, prefix, name) = (row.id, row.prefix, row.name);
    Ok(match KeyRole::parse(&row.role)? {
        KeyRole::Admin => Caller::Admin {
            key_id,
            prefix,
            name,
        },
        KeyRole::Planner => Caller::Planner {
            key_id,
            prefix,
            name,
            municipalities: row.municipalities,
        },
        KeyRole::Partner => Caller::Partner {
            key_id,
            prefix,
            name,
            partner: row.partner.unwrap_or_default(),
        },
    })
}

/// Fire-and-forget update of `last_used_at` (guarded so concurrent requests write at most once a minute).
fn touch(pool: PgPool, id: i64) {
    tokio::spawn(async move {
        let r = sqlx::query(
            "UPDATE api_key SET last_used_at = now() \
             WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')",
        )
        .bind(id)
        .execute(&pool)
        .await;
        if let Err(e) = r {
            tracing::debug!(error = %e, "could not record the key's last use");
        }
    });
}
