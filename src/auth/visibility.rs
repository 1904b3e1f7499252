//! The project-visibility rule, as SQL: the one place Rust asks "may this caller see this project".
//!
//! The rule itself is the SQL function `mk_project_visible` (migration 0012, docs/visibility.md):
//! public; or admin; or a partner key of the project's partner; or a planner key one of whose
//! municipalities a location of the project is assigned to now. This module only pushes a call of
//! it with the caller's scope ([`Visibility`]) bound as values. SQL files that cannot be built with
//! a `QueryBuilder` write the same call with three positional parameters and bind
//! `all`, `partner`, `municipalities` in that order (see [`Visibility`]).
use sqlx::{Postgres, QueryBuilder};

use super::Visibility;

/// Aliases of a project-like row (`id`, `is_public`, `partner` columns) the helpers accept: never a
/// user value.
const ALIASES: &[&str] = &["t", "p"];

fn checked(alias: &'static str) -> &'static str {
    assert!(
        ALIASES.contains(&alias),
        "project visibility: alias `{alias}` is not one of {ALIASES:?}"
    );
    alias
}

/// Push `mk_project_visible(<alias>.id, <alias>.is_public, <alias>.partner, $all, $partner,
/// $municipalities)`: true when the caller with scope `v` may see the project row `alias`.
pub fn push_project_visible(
    qb: &mut QueryBuilder<'_, Postgres>,
    alias: &'static str,
    v: &Visibility,
) {
    let a = checked(alias);
    qb.push("mk_project_visible(")
        .push(a)
        .push(".id, ")
        .push(a)
        .push(".is_public, ")
        .push(a)
        .push(".partner, ")
        .push_bind(v.all)
        .push(", ")
        .push_bind(v.partner.clone())
        .push("::text, ")
        .push_bind(v.municipalities.clone())
        .push("::text[])");
}

/// The same call with the anonymous scope as literals, for published figures and static SQL (the
/// collections' advertised extents): true exactly for the public projects.
pub fn anonymous_sql(alias: &'static str) -> String {
    let a = checked(alias);
    format!("mk_project_visible({a}.id, {a}.is_public, {a}.partner, false, NULL, '{{}}')")
}

/// The anonymous scope `(all, partner, municipalities)` as SQL literals, as static expressions
/// write it: the layers' geometry expressions call `mk_location_geom(…, <this>)`
/// (docs/disclosure.md), which reads the masked geometry; [`push_scoped`] binds a caller's scope
/// in its place.
pub const ANONYMOUS_SCOPE: &str = "false, NULL::text, '{}'::text[]";

/// Push `sql` with every [`ANONYMOUS_SCOPE`] in it replaced by the scope `v` bound as values.
pub fn push_scoped(qb: &mut QueryBuilder<'_, Postgres>, sql: &str, v: &Visibility) {
    let mut parts = sql.split(ANONYMOUS_SCOPE);
    qb.push(parts.next().unwrap_or_default());
    for rest in parts {
        qb.push_bind(v.all)
            .push(", ")
            .push_bind(v.partner.clone())
            .push("::text, ")
            .push_bind(v.municipalities.clone())
            .push("::text[]")
            .push(rest);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binds_the_scope_as_values() {
        let mut qb = QueryBuilder::<Postgres>::new("");
        push_project_visible(
            &mut qb,
            "t",
            &Visibility {
                all: false,
                partner: Some("x'; DROP".into()),
                municipalities: vec![],
            },
        );
        assert_eq!(
            qb.sql(),
            "mk_project_visible(t.id, t.is_public, t.partner, $1, $2::text, $3::text[])"
        );
        assert_eq!(
            anonymous_sql("p"),
            "mk_project_visible(p.id, p.is_public, p.partner, false, NULL, '{}')"
        );
    }

    #[test]
    fn binds_the_scope_in_place_of_the_anonymous_literals() {
        let mut qb = QueryBuilder::<Postgres>::new("");
        let sql = "f(a, false, NULL::text, '{}'::text[]) + g(false, NULL::text, '{}'::text[])";
        push_scoped(&mut qb, sql, &Visibility::default());
        assert_eq!(
            qb.sql(),
            "f(a, $1, $2::text, $3::text[]) + g($4, $5::text, $6::text[])"
        );
        let mut plain = QueryBuilder::<Postgres>::new("");
        push_scoped(&mut plain, "t.geom", &Visibility::default());
        assert_eq!(plain.sql(), "t.geom");
    }

    #[test]
    #[should_panic(expected = "not one of")]
    fn refuses_other_aliases() {
        anonymous_sql("x; DROP");
    }
}
