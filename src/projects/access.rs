//! Finding a project by code as a given caller: 404 when it does not exist or the caller may not
//! see it (a non-public project is not revealed), 401/403 when the caller may not change it.
use sqlx::{PgExecutor, PgPool};

use super::error::{PResult, ProjectsError};
use crate::auth::Caller;

/// What access decisions need to know about a project.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProjectRef {
    pub id: i64,
    pub code: String,
    pub partner: Option<String>,
    pub is_public: bool,
    pub status: String,
    /// Municipalities the project's locations are assigned to now.
    pub municipalities: Vec<String>,
}

impl ProjectRef {
    /// Admin; a planner of one of its municipalities; the partner that owns it.
    pub fn require_edit(&self, caller: &Caller) -> PResult<()> {
        caller.require_edit_project(&self.code, self.partner.as_deref(), &self.municipalities)?;
        Ok(())
    }
}

/// The project `code` as `caller` may see it; `lock` takes a row lock (inside a transaction).
pub async fn find<'e>(
    db: impl PgExecutor<'e>,
    code: &str,
    caller: &Caller,
    lock: bool,
) -> PResult<ProjectRef> {
    let code = code.trim();
    let sql = if lock {
        concat!(include_str!("sql/find.sql"), " FOR UPDATE OF p")
    } else {
        include_str!("sql/find.sql")
    };
    let found: Option<ProjectRef> = sqlx::query_as(sql).bind(code).fetch_optional(db).await?;
    match found {
        Some(p) if caller.can_see_project(p.is_public, p.partner.as_deref(), &p.municipalities) => {
            Ok(p)
        }
        _ => Err(ProjectsError::NotFound(code.to_string())),
    }
}

/// Shorthand for reads.
pub async fn visible(pool: &PgPool, code: &str, caller: &Caller) -> PResult<ProjectRef> {
    find(pool, code, caller, false).await
}
