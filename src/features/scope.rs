//! What the features API asks of the caller ([`Caller`], the one type of `auth`).
//!
//! `project_visibility` pushes the one rule for "may this caller see this project"
//! (`auth::visibility`, SQL `mk_project_visible`) into items, counts and downloads.
use sqlx::{Postgres, QueryBuilder};

use crate::auth::{visibility, Caller};

/// Push the condition "`who` may see the project row aliased `alias`" (`"t"`): the one rule of
/// [`crate::auth::visibility`].
pub fn project_visibility(qb: &mut QueryBuilder<'_, Postgres>, who: &Caller, alias: &'static str) {
    visibility::push_project_visible(qb, alias, &who.visibility());
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
