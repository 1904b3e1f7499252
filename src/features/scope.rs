//! Who is asking, as far as the features API cares, and what they may see and change.
//!
//! `project_visibility` pushes the one rule for "may this caller see this project"
//! (`auth::visibility`, SQL `mk_project_visible`) into items, counts and downloads.
use axum::extract::FromRequestParts;
use sqlx::{Postgres, QueryBuilder};

use crate::auth::{visibility, Caller, Scope, Visibility};

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
    /// The read scope, by the one mapping [`Visibility::of`] that [`Caller::visibility`] uses.
    pub fn visibility(&self) -> Visibility {
        Visibility::of(match self {
            Who::Anonymous => Scope::Anonymous,
            Who::Admin { .. } => Scope::Admin,
            Who::Planner { municipalities, .. } => Scope::Planner(municipalities),
            Who::Partner { partner, .. } => Scope::Partner(partner),
        })
    }

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

/// Push the condition "`who` may see the project row aliased `alias`" (`"t"`): the one rule of
/// [`crate::auth::visibility`].
pub fn project_visibility(qb: &mut QueryBuilder<'_, Postgres>, who: &Who, alias: &'static str) {
    visibility::push_project_visible(qb, alias, &who.visibility());
}

impl<S: crate::auth::KeyState> FromRequestParts<S> for Who {
    type Rejection = crate::error::AppError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
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
        assert_eq!(
            qb.sql(),
            "mk_project_visible(t.id, t.is_public, t.partner, $1, $2::text, $3::text[])"
        );
        let who = Who::Planner {
            author: "k".into(),
            municipalities: vec!["1111".into()],
        };
        assert_eq!(who.visibility().municipalities, vec!["1111"]);
        assert!(Who::Admin { author: "a".into() }.visibility().all);
    }
}
