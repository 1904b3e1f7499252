//! CQL2 expression → SQL fragments with bound values, type-checked against the queryables.
use cql2::Expr;
use sqlx::{Postgres, QueryBuilder};

mod operators;
mod spatial;

use spatial::SPATIAL;

use super::{
    literal::{check_date, check_timestamp, literal_text},
    CqlError, QType, Queryables,
};

/// A value bound as a query parameter.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Bind {
    Text(String),
    Float(f64),
    Bool(bool),
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Frag {
    Sql(String),
    Bind(Bind),
}

/// A validated SQL condition, ready to be pushed (as often as needed) into query builders.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Compiled {
    frags: Vec<Frag>,
}

impl Compiled {
    /// Push the condition (parenthesised) into `qb`, binding every value.
    pub fn push_to(&self, qb: &mut QueryBuilder<'_, Postgres>) {
        for f in &self.frags {
            match f {
                Frag::Sql(s) => {
                    qb.push(s);
                }
                Frag::Bind(Bind::Text(s)) => {
                    qb.push_bind(s.clone());
                }
                Frag::Bind(Bind::Float(v)) => {
                    qb.push_bind(*v);
                }
                Frag::Bind(Bind::Bool(v)) => {
                    qb.push_bind(*v);
                }
            }
        }
    }

    /// A canonical rendering (SQL with the values inlined as JSON) that identifies the condition,
    /// e.g. for cache keys. Not SQL to execute.
    pub fn key(&self) -> String {
        let mut s = String::new();
        for f in &self.frags {
            match f {
                Frag::Sql(x) => s.push_str(x),
                Frag::Bind(Bind::Text(v)) => s.push_str(&serde_json::json!(v).to_string()),
                Frag::Bind(Bind::Float(v)) => s.push_str(&format!("{v:?}")),
                Frag::Bind(Bind::Bool(v)) => s.push_str(if *v { "true" } else { "false" }),
            }
        }
        s
    }
}

/// Validate `expr` against `queryables` and translate it into a boolean SQL condition.
pub fn compile(expr: &Expr, queryables: &Queryables) -> Result<Compiled, CqlError> {
    let c = Compiler { q: queryables };
    Ok(Compiled {
        frags: c.predicate(expr)?,
    })
}

/// An operand before it is placed: literals wait to learn the type they are compared with.
pub(super) enum Operand {
    Typed(Vec<Frag>, QType),
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
    Geom(Vec<Frag>),
}

pub(super) struct Compiler<'a> {
    pub(super) q: &'a Queryables,
}

pub(super) fn sql(s: impl Into<String>) -> Frag {
    Frag::Sql(s.into())
}

pub(super) fn type_err<T>(msg: impl Into<String>) -> Result<T, CqlError> {
    Err(CqlError::Type(msg.into()))
}

impl Compiler<'_> {
    /// An expression that must be a condition.
    fn predicate(&self, e: &Expr) -> Result<Vec<Frag>, CqlError> {
        match e {
            Expr::Bool(b) => Ok(vec![sql(if *b { "TRUE" } else { "FALSE" })]),
            Expr::Property { property } => {
                let p = self.q.lookup(property)?;
                if p.ty != QType::Boolean {
                    return type_err(format!(
                        "'{property}' is {}, not a condition; compare it with a value",
                        p.ty.describe()
                    ));
                }
                Ok(vec![sql(format!("({})", p.sql))])
            }
            Expr::Operation { op, args } => self.operation(op, args),
            other => type_err(format!(
                "{} is not a condition",
                other.to_text().unwrap_or_else(|_| "this value".into())
            )),
        }
    }

    fn operation(&self, op: &str, args: &[Box<Expr>]) -> Result<Vec<Frag>, CqlError> {
        let arity = |n: usize| -> Result<(), CqlError> {
            if args.len() == n {
                Ok(())
            } else {
                type_err(format!(
                    "{op} takes {n} arguments, {} were given",
                    args.len()
                ))
            }
        };
        match op {
            "and" | "or" => {
                if args.is_empty() {
                    return type_err(format!("{op} needs operands"));
                }
                let mut out = vec![sql("(")];
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        out.push(sql(if op == "and" { " AND " } else { " OR " }));
                    }
                    out.extend(self.predicate(a)?);
                }
                out.push(sql(")"));
                Ok(out)
            }
            "not" => {
                arity(1)?;
                let mut out = vec![sql("(NOT ")];
                out.extend(self.predicate(&args[0])?);
                out.push(sql(")"));
                Ok(out)
            }
            "=" | "<>" | "<" | "<=" | ">" | ">=" => {
                arity(2)?;
                self.comparison(op, &args[0], &args[1])
            }
            "like" => {
                arity(2)?;
                self.like(&args[0], &args[1])
            }
            "in" => {
                arity(2)?;
                self.in_list(&args[0], &args[1])
            }
            "between" => {
                arity(3)?;
                self.between(&args[0], &args[1], &args[2])
            }
            "isNull" => {
                arity(1)?;
                self.is_null(&args[0])
            }
            op if SPATIAL.iter().any(|(n, _)| *n == op) => {
                arity(2)?;
                self.spatial(op, &args[0], &args[1])
            }
            op if op.starts_with("t_") => Err(CqlError::Unsupported(format!(
                "{op} (temporal operators are not supported; compare dates with <, >, BETWEEN)"
            ))),
            other => Err(CqlError::Unsupported(other.to_string())),
        }
    }

    fn comparison(&self, op: &str, a: &Expr, b: &Expr) -> Result<Vec<Frag>, CqlError> {
        let a = self.operand(a)?;
        let b = self.operand(b)?;
        let ty = match (&a, &b) {
            (Operand::Typed(_, ta), Operand::Typed(_, tb)) => {
                if !compatible(*ta, *tb) {
                    return type_err(format!(
                        "cannot compare {} with {}",
                        ta.describe(),
                        tb.describe()
                    ));
                }
                *ta
            }
            (Operand::Typed(_, t), _) | (_, Operand::Typed(_, t)) => *t,
            (Operand::Null, _) | (_, Operand::Null) => {
                return type_err("compare with NULL using IS NULL, e.g. theme IS NULL")
            }
            _ => {
                return type_err(
                    "a comparison needs a property on one side, e.g. status = 'planned'",
                )
            }
        };
        if matches!(ty, QType::Geometry { .. }) {
            return type_err("geometries are compared with spatial functions such as S_INTERSECTS");
        }
        if ty == QType::Boolean && !matches!(op, "=" | "<>") {
            return type_err(format!("a boolean cannot be compared with {op}"));
        }
        let mut out = vec![sql("(")];
        out.extend(self.place(a, ty, op)?);
        out.push(sql(format!(" {op} ")));
        out.extend(self.place(b, ty, op)?);
        out.push(sql(")"));
        Ok(out)
    }

    /// Place an operand where a value of type `ty` is expected, binding literals as that type.
    fn place(&self, o: Operand, ty: QType, ctx: &str) -> Result<Vec<Frag>, CqlError> {
        match o {
            Operand::Typed(f, t) if compatible(t, ty) => Ok(f),
            Operand::Typed(_, t) => type_err(format!(
                "{ctx}: {} where {} is expected",
                t.describe(),
                ty.describe()
            )),
            Operand::Str(s) => match ty {
                QType::Text => Ok(vec![Frag::Bind(Bind::Text(s))]),
                QType::Date => {
                    check_date(&s)?;
                    Ok(vec![Frag::Bind(Bind::Text(s)), sql("::date")])
                }
                QType::Timestamp => {
                    check_timestamp(&s)?;
                    Ok(vec![Frag::Bind(Bind::Text(s)), sql("::timestamptz")])
                }
                other => type_err(format!(
                    "{ctx}: '{s}' is a string where {} is expected",
                    other.describe()
                )),
            },
            Operand::Num(v) if ty.is_numeric() => Ok(vec![Frag::Bind(Bind::Float(v))]),
            Operand::Num(v) => type_err(format!(
                "{ctx}: {v} is a number where {} is expected{}",
                ty.describe(),
                if ty == QType::Text {
                    " (quote it: '…')"
                } else {
                    ""
                }
            )),
            Operand::Bool(b) if ty == QType::Boolean => Ok(vec![Frag::Bind(Bind::Bool(b))]),
            Operand::Bool(_) => type_err(format!(
                "{ctx}: a boolean where {} is expected",
                ty.describe()
            )),
            Operand::Null => type_err("compare with NULL using IS NULL"),
            Operand::Geom(_) => type_err(format!(
                "{ctx}: a geometry where {} is expected",
                ty.describe()
            )),
        }
    }

    pub(super) fn operand(&self, e: &Expr) -> Result<Operand, CqlError> {
        match e {
            Expr::Property { property } => {
                let p = self.q.lookup(property)?;
                Ok(Operand::Typed(vec![sql(format!("({})", p.sql))], p.ty))
            }
            Expr::Float(v) if v.is_finite() => Ok(Operand::Num(*v)),
            Expr::Float(_) => type_err("numbers must be finite"),
            Expr::Literal(s) => Ok(Operand::Str(s.clone())),
            Expr::Bool(b) => Ok(Operand::Bool(*b)),
            Expr::Null => Ok(Operand::Null),
            Expr::Date { date } => temporal_literal(date, QType::Date),
            Expr::Timestamp { timestamp } => temporal_literal(timestamp, QType::Timestamp),
            Expr::Geometry(g) => Ok(Operand::Geom(self.geometry_literal(g)?)),
            Expr::BBox { bbox } => Ok(Operand::Geom(self.bbox_literal(bbox)?)),
            Expr::Operation { op, args } => self.value_operation(op, args),
            Expr::Array(_) => type_err("a list is only accepted on the right of IN"),
            Expr::Interval { .. } => Err(CqlError::Unsupported("INTERVAL".into())),
        }
    }

    /// Operations that yield values rather than conditions: CASEI and arithmetic.
    fn value_operation(&self, op: &str, args: &[Box<Expr>]) -> Result<Operand, CqlError> {
        match op {
            "casei" => {
                if args.len() != 1 {
                    return type_err("CASEI takes one argument");
                }
                match self.operand(&args[0])? {
                    Operand::Str(s) => Ok(Operand::Str(s.to_lowercase())),
                    Operand::Typed(f, QType::Text) => {
                        let mut out = vec![sql("lower(")];
                        out.extend(f);
                        out.push(sql(")"));
                        Ok(Operand::Typed(out, QType::Text))
                    }
                    _ => type_err("CASEI applies to strings"),
                }
            }
            "+" | "-" | "*" | "/" => {
                if args.len() < 2 {
                    return type_err(format!("{op} takes two operands"));
                }
                let mut out = vec![sql("(")];
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        out.push(sql(format!(" {op} ")));
                    }
                    let o = self.operand(a)?;
                    let placed = self.place(o, QType::Number, op)?;
                    if op == "/" && i > 0 {
                        // A division by zero yields NULL (no match) instead of a database error.
                        out.push(sql("NULLIF("));
                        out.extend(placed);
                        out.push(sql(", 0)"));
                    } else {
                        out.extend(placed);
                    }
                }
                out.push(sql(")"));
                Ok(Operand::Typed(out, QType::Number))
            }
            "accenti" => Err(CqlError::Unsupported(
                "ACCENTI (use CASEI, or LIKE with a pattern)".into(),
            )),
            other if self.is_condition_op(other) => type_err(format!(
                "{other} is a condition, not a value; combine conditions with AND/OR"
            )),
            other => Err(CqlError::Unsupported(other.to_string())),
        }
    }

    fn is_condition_op(&self, op: &str) -> bool {
        matches!(
            op,
            "and"
                | "or"
                | "not"
                | "="
                | "<>"
                | "<"
                | "<="
                | ">"
                | ">="
                | "like"
                | "in"
                | "between"
                | "isNull"
        ) || SPATIAL.iter().any(|(n, _)| *n == op)
    }
}

fn compatible(a: QType, b: QType) -> bool {
    a == b
        || (a.is_numeric() && b.is_numeric())
        || matches!(
            (a, b),
            (QType::Date, QType::Timestamp) | (QType::Timestamp, QType::Date)
        )
        || matches!((a, b), (QType::Geometry { .. }, QType::Geometry { .. }))
}

/// A `DATE('…')` or `TIMESTAMP('…')` literal: checked, bound as text and cast to its type.
fn temporal_literal(e: &Expr, ty: QType) -> Result<Operand, CqlError> {
    type Check = fn(&str) -> Result<(), CqlError>;
    let (what, check, cast): (&str, Check, &str) = match ty {
        QType::Date => ("DATE", check_date, "::date"),
        _ => ("TIMESTAMP", check_timestamp, "::timestamptz"),
    };
    let s = literal_text(e, what)?;
    check(&s)?;
    Ok(Operand::Typed(
        vec![Frag::Bind(Bind::Text(s)), sql(cast)],
        ty,
    ))
}
