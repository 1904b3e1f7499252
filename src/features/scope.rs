//! Who is asking, as far as the features API cares, and what they may see and change.
//!
//! `project_visibility` is the one predicate for "may this caller see this project": items, counts,
//! filters and (through the same function) vector tiles use it, so a non-public project is hidden
//! the same way everywhere.
use axum::extract::FromRequestParts;
use sqlx::{Postgres, QueryBuilder};

use crate::auth::Caller;

/// The caller (from `auth::Caller`), reduced to what decides visibility and write rights.
/// `author` is what a project's history records (`key:<prefix> (<name>)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    Anonymous,
    Admin {
        author: String,
    },
    Planner {
        author: String,
        municipalities: Vec<String>,
    },
    Partner {
        author: String,
        partner: String,
    },
}

impl Who {
    /// The author recorded in a project's history.
    pub fn author(&self) -> String {
        match self {
            Who::Anonymous => "anonymous".into(),
            Who::Admin { author } | Who::Planner { author, .. } | Who::Partner { author, .. } => {
                author.clone()
            }
        }
    }
}

impl From<&Caller> for Who {
    fn from(c: &Caller) -> Self {
        let author = c.author();
        match c {
            Caller::Anonymous => Who::Anonymous,
            Caller::Admin { .. } => Who::Admin { author },
            Caller::Planner { municipalities, .. } => Who::Planner {
                author,
                municipalities: municipalities.clone(),
            },
            Caller::Partner { partner, .. } => Who::Partner {
                author,
                partner: partner.clone(),
            },
        }
    }
}

/// Push a boolean SQL condition that is true when `who` may see the project row aliased `alias`
/// (an allow-listed alias such as `"t"` or `"p"`; never a user value).
///
/// - public projects: everyone;
/// - admins: everything;
/// - partners: also the projects whose `partner` is theirs;
/// - planners: also the projects with a location inside one of their municipalities (current
///   boundaries).
pub fn project_visibility(qb: &mut QueryBuilder<'_, Postgres>, who: &Who, alias: &'static str) {
    match who {
        Who::Admin { .. } => {
            qb.push("TRUE");
        }
        Who::Anonymous => {
            qb.push(alias).push(".is_public");
        }
        Who::Partner { partner, .. } => {
            qb.push("(")
                .push(alias)
                .push(".is_public OR ")
                .push(alias)
                .push(".partner = ")
                .push_bind(partner.clone())
                .push(")");
        }
        Who::Planner { municipalities, .. } => {
            qb.push("(").push(alias).push(".is_public OR ");
            push_in_municipalities(qb, alias, municipalities);
            qb.push(")");
        }
    }
}

/// True when a location of project `alias` lies in one of `codes` (current municipality units).
pub fn push_in_municipalities(
    qb: &mut QueryBuilder<'_, Postgres>,
    alias: &'static str,
    codes: &[String],
) {
    qb.push(
        "EXISTS (SELECT 1 FROM project_location pl JOIN admin_unit_current mu \
         ON mu.level = 'municipality' AND ST_Intersects(mu.geom, pl.geom) \
         WHERE pl.project_id = ",
    )
    .push(alias)
    .push(".id AND mu.code = ANY(")
    .push_bind(codes.to_vec())
    .push("))");
}

impl FromRequestParts<crate::state::AppState> for Who {
    type Rejection = crate::error::AppError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &crate::state::AppState,
    ) -> Result<Self, Self::Rejection> {
        let caller = Caller::from_request_parts(parts, state).await?;
        Ok(Who::from(&caller))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predicates_bind_values() {
        let mut qb = QueryBuilder::<Postgres>::new("");
        project_visibility(
            &mut qb,
            &Who::Partner {
                author: "k".into(),
                partner: "x'; DROP".into(),
            },
            "t",
        );
        assert_eq!(qb.sql(), "(t.is_public OR t.partner = $1)");
        let mut qb = QueryBuilder::<Postgres>::new("");
        project_visibility(&mut qb, &Who::Anonymous, "p");
        assert_eq!(qb.sql(), "p.is_public");
    }
}
