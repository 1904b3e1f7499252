//! Finding a project by code as a given caller: 404 when it does not exist or the caller may not
//! see it (a non-public project is not revealed), 401/403 when the caller may not change it.
use std::collections::HashMap;

use axum::{
    extract::{FromRequestParts, Path},
    http::request::Parts,
    response::{IntoResponse, Response},
};
use sqlx::{PgExecutor, PgPool, Postgres, QueryBuilder, Transaction};

use super::error::{PResult, ProjectsError};
use super::rules;
use crate::auth::{visibility, AuthError, Caller, RequireKey};
use crate::ctx::{Ctx, CtxState};

/// What access decisions need to know about a project.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProjectRef {
    pub id: i64,
    pub code: String,
    pub partner: Option<String>,
    pub is_public: bool,
    pub status: String,
    /// Municipalities the project's locations lie in now ('' for a part in none); see
    /// `mk_project_municipalities` (migration 0013) for the tolerance.
    pub municipalities: Vec<String>,
    /// Where the locations lie, with shares, as a sentence (for the 403).
    pub shares: String,
}

impl ProjectRef {
    /// Admin; a planner whose municipalities hold every location (see docs/write-rules.md);
    /// the partner that owns it.
    pub fn require_edit(&self, caller: &Caller) -> PResult<()> {
        if let Caller::Planner { municipalities, .. } = caller {
            if !caller.can_edit_project(self.partner.as_deref(), &self.municipalities) {
                return Err(AuthError::Forbidden(format!(
                    "project {} lies in {}: a planner key may edit a project only when its locations \
                     lie inside the key's municipalities ({})",
                    self.code,
                    self.shares,
                    municipalities.join(", ")
                ))
                .into());
            }
        }
        caller.require_edit_project(&self.code, self.partner.as_deref(), &self.municipalities)?;
        Ok(())
    }
}

/// The project `code` as `caller` may see it (the visibility rule is in the query: a project the
/// caller may not see is simply not found); `lock` takes a row lock (inside a transaction).
pub async fn find<'e>(
    db: impl PgExecutor<'e>,
    code: &str,
    caller: &Caller,
    lock: bool,
) -> PResult<ProjectRef> {
    let code = code.trim();
    let mut qb = QueryBuilder::new(include_str!("sql/find.sql"));
    qb.push(" p.code = ").push_bind(code).push(" AND ");
    visibility::push_project_visible(&mut qb, "p", &caller.visibility());
    if lock {
        qb.push(" FOR UPDATE OF p");
    }
    let found: Option<ProjectRef> = qb.build_query_as().fetch_optional(db).await?;
    found.ok_or_else(|| ProjectsError::NotFound(code.to_string()))
}

/// Shorthand for reads.
pub async fn visible(pool: &PgPool, code: &str, caller: &Caller) -> PResult<ProjectRef> {
    find(pool, code, caller, false).await
}

/// A write on the project `code` by `caller`: what every project write starts from.
#[derive(Clone, Copy)]
pub struct Target<'a> {
    pub pool: &'a PgPool,
    pub code: &'a str,
    pub caller: &'a Caller,
}

impl<'a> Target<'a> {
    pub fn new(pool: &'a PgPool, code: &'a str, caller: &'a Caller) -> Self {
        Self { pool, code, caller }
    }

    /// The write transaction ([`rules::write_tx`]) with the project locked, once the caller may
    /// edit it (404 when not visible, 401/403 when not editable).
    pub async fn begin(&self) -> PResult<(Transaction<'static, Postgres>, ProjectRef)> {
        let mut tx = rules::write_tx(self.pool).await?;
        let project = find(&mut *tx, self.code, self.caller, true).await?;
        project.require_edit(self.caller)?;
        Ok((tx, project))
    }
}

/// A request on the project of the path's `{code}` (and the path's `{id}`, a funding line, when
/// it has one) by the caller `C`: [`Caller`] for reads, [`RequireKey`] for writes (401 without a
/// key). What every project handler starts from.
pub struct ProjectRequest<C> {
    pub pool: PgPool,
    pub code: String,
    pub id: Option<String>,
    pub caller: C,
}

/// A write: a key is required.
pub type ProjectWrite = ProjectRequest<RequireKey>;

impl ProjectWrite {
    pub fn target(&self) -> Target<'_> {
        Target::new(&self.pool, &self.code, &self.caller.0)
    }
}

impl<S, C> FromRequestParts<S> for ProjectRequest<C>
where
    S: CtxState,
    C: FromRequestParts<S>,
    C::Rejection: IntoResponse,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let Ok(ctx) = Ctx::from_request_parts(parts, state).await;
        let Path(mut path) = Path::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let caller = C::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(Self {
            pool: ctx.pool,
            code: path.remove("code").unwrap_or_default(),
            id: path.remove("id"),
            caller,
        })
    }
}
