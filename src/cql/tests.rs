//! Unit tests of the CQL2 → SQL translation (the SQL is checked as text; integration tests run it).
use sqlx::{Postgres, QueryBuilder};

use super::*;

fn q() -> Queryables {
    Queryables::new()
        .with("status", "p.status", QType::Text)
        .with("budget", "p.budget_tnd", QType::Number)
        .with("year", "p.year", QType::Integer)
        .with("start", "p.planned_start", QType::Date)
        .with("public", "p.is_public", QType::Boolean)
        .with("geometry", "g.geom", QType::Geometry { srid: 3857 })
}

fn sql_of(src: &str) -> Result<(String, String), CqlError> {
    let expr = parse_text(src, &Limits::default())?;
    let c = compile(&expr, &q())?;
    let mut qb: QueryBuilder<'_, Postgres> = QueryBuilder::new("");
    c.push_to(&mut qb);
    Ok((qb.sql().to_string(), c.key()))
}

#[test]
fn comparisons_bind_values() {
    let (sql, key) = sql_of("status = 'planned' AND budget > 1000").unwrap();
    assert_eq!(sql, "(((p.status) = $1) AND ((p.budget_tnd) > $2))");
    assert_eq!(
        key,
        "(((p.status) = \"planned\") AND ((p.budget_tnd) > 1000.0))"
    );
}

#[test]
fn in_between_like_null_not() {
    let (sql, _) = sql_of(
        "status IN ('a','b') OR budget BETWEEN 1 AND 2 OR status LIKE 'x%' OR NOT (status IS NULL)",
    )
    .unwrap();
    assert!(sql.contains("(p.status) IN ($1, $2)"), "{sql}");
    assert!(sql.contains("BETWEEN $3 AND $4"), "{sql}");
    assert!(sql.contains("LIKE $5"), "{sql}");
    assert!(sql.contains("(NOT ((p.status) IS NULL))"), "{sql}");
}

#[test]
fn dates_casei_bool_arith() {
    let (sql, _) = sql_of("start >= DATE('2020-01-01') AND casei(status) = casei('PLANNED') AND public = true AND budget / 2 > 10").unwrap();
    assert!(sql.contains("$1::date"), "{sql}");
    assert!(sql.contains("lower((p.status)) = $2"), "{sql}");
    assert!(sql.contains("NULLIF($"), "{sql}");
    let (sql, _) = sql_of("start < '2021-05-01'").unwrap();
    assert!(sql.contains("$1::date"), "{sql}");
}

#[test]
fn spatial_literals_are_transformed() {
    let (sql, _) = sql_of("S_INTERSECTS(geometry, BBOX(10, 36, 11, 37))").unwrap();
    assert!(
        sql.starts_with(
            "ST_Intersects((g.geom), ST_Transform(ST_MakeEnvelope($1, $2, $3, $4, 4326), 3857))"
        ),
        "{sql}"
    );
    let (sql, _) = sql_of("S_WITHIN(geometry, POLYGON((10 36, 11 36, 11 37, 10 36)))").unwrap();
    assert!(sql.contains("ST_GeomFromText($1, 4326)"), "{sql}");
}

#[test]
fn errors_say_why() {
    let e = sql_of("nope = 1").unwrap_err();
    assert!(e.to_string().contains("unknown property 'nope'"), "{e}");
    assert!(
        e.to_string()
            .contains("budget, geometry, public, start, status, year"),
        "{e}"
    );
    // each error says what is wrong: its kind (Debug) or its message (Display) names it
    let cases = [
        ("budget = 'x'", "Type("),
        ("status = 3", "quote it"),
        ("start > '2020-13-45'", "YYYY-MM-DD"),
        ("status = ", "Syntax("),
        ("T_AFTER(start, DATE('2020-01-01'))", "Unsupported("),
        ("status", "not a condition"),
        (
            "S_INTERSECTS(geometry, POLYGON((10 36, 11 36, 11 37)))",
            "invalid geometry",
        ),
    ];
    for (src, says) in cases {
        let e = sql_of(src).unwrap_err();
        assert!(format!("{e:?} {e}").contains(says), "{src}: {e:?}");
    }
}

#[test]
fn cost_guard() {
    let deep = format!("{}status = 'a'{}", "(".repeat(40), ")".repeat(40));
    let many = (0..300)
        .map(|i| format!("budget = {i}"))
        .collect::<Vec<_>>()
        .join(" OR ");
    for src in [many.as_str(), &"x".repeat(9000)] {
        let e = sql_of(src).unwrap_err();
        assert!(matches!(e, CqlError::TooExpensive(_)), "{e}");
    }
    // parentheses alone do not nest the tree
    assert!(sql_of(&deep).is_ok());
    let nested = (0..30).fold("status = 'a'".to_string(), |acc, _| format!("NOT ({acc})"));
    assert!(matches!(
        sql_of(&nested).unwrap_err(),
        CqlError::TooExpensive(_)
    ));
    let list = format!(
        "status IN ({})",
        (0..300)
            .map(|i| format!("'{i}'"))
            .collect::<Vec<_>>()
            .join(",")
    );
    assert!(matches!(
        sql_of(&list).unwrap_err(),
        CqlError::TooExpensive(_)
    ));
}

#[test]
fn properties_are_listed() {
    let e = parse_text("status = 'a' AND budget > 1", &Limits::default()).unwrap();
    let p: Vec<_> = properties(&e).into_iter().collect();
    assert_eq!(p, vec!["budget", "status"]);
}
