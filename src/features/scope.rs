//! What the features API asks of the caller ([`Caller`], the one type of `auth`).
//!
//! `project_visibility` pushes the one rule for "may this caller see this project"
//! (`auth::visibility`, SQL `mk_project_visible`) into items, counts and downloads.
use sqlx::{Postgres, QueryBuilder};

use crate::auth::{visibility, Caller, Visibility};

/// True when `who` reads what anyone reads (no key, or a key that widens nothing).
pub fn is_anonymous(who: &Caller) -> bool {
    who.visibility() == Visibility::default()
}

/// Push the condition "`who` may see the project row aliased `alias`" (`"t"`): the one rule of
/// [`crate::auth::visibility`]. The anonymous scope is written as literals, so PostgreSQL folds
/// the rule to `t.is_public` in every plan, generic ones included.
pub fn project_visibility(qb: &mut QueryBuilder<'_, Postgres>, who: &Caller, alias: &'static str) {
    if is_anonymous(who) {
        qb.push(visibility::anonymous_sql(alias));
    } else {
        visibility::push_project_visible(qb, alias, &who.visibility());
    }
}

/// Push the registry expression `sql` (written with the anonymous scope) for `who`: as written
/// for anonymous callers, with the caller's scope bound otherwise ([`visibility::push_scoped`]).
pub fn push_scoped(qb: &mut QueryBuilder<'_, Postgres>, sql: &str, who: &Caller) {
    if is_anonymous(who) {
        qb.push(sql);
    } else {
        visibility::push_scoped(qb, sql, &who.visibility());
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
            &Caller::Partner {
                key_id: 1,
                prefix: "k".into(),
                name: "k".into(),
                partner: "x'; DROP".into(),
            },
            "t",
        );
        assert_eq!(
            qb.sql(),
            "mk_project_visible(t.id, t.is_public, t.partner, $1, $2::text, $3::text[])"
        );
        let who = Caller::Planner {
            key_id: 2,
            prefix: "k".into(),
            name: "k".into(),
            municipalities: vec!["1111".into()],
        };
        assert_eq!(who.visibility().municipalities, vec!["1111"]);
        let admin = Caller::Admin {
            key_id: 3,
            prefix: "a".into(),
            name: "a".into(),
        };
        assert!(admin.visibility().all);
    }
}
