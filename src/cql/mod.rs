//! CQL2 filters (text or JSON, parsed by the `cql2` crate) translated into SQL conditions.
//!
//! Shared by every capability that filters: vector tiles (`?filter=`) and OGC API – Features.
//! A caller describes what may be filtered with [`Queryables`] — public property names mapped to
//! trusted SQL expressions and their types — and gets back a condition pushed into a
//! `sqlx::QueryBuilder`: identifiers come only from the queryables, every literal is bound, and a
//! cost guard ([`Limits`]) bounds the size of what a request can make the database evaluate.
//!
//! ```ignore
//! let q = Queryables::new()
//!     .with("status", "p.status", QType::Text)
//!     .with("budget", "p.budget_tnd", QType::Number);
//! let expr = cql::parse_text("status = 'planned' AND budget > 1e6", &Limits::default())?;
//! qb.push(" WHERE ");
//! cql::to_sql(&expr, &q, &mut qb)?;
//! ```
//!
//! Supported: AND/OR/NOT, `= <> < <= > >=`, `LIKE`, `IN`, `BETWEEN`, `IS NULL`, `CASEI`,
//! arithmetic (`+ - * / % ^ div`), property–property comparisons, `DATE()`/`TIMESTAMP()` literals,
//! and the spatial functions `S_INTERSECTS`, `S_EQUALS`, `S_DISJOINT`, `S_TOUCHES`, `S_WITHIN`,
//! `S_OVERLAPS`, `S_CROSSES`, `S_CONTAINS` over WKT/GeoJSON geometries and `BBOX`. Anything else is
//! an error that names the operator.
mod compile;
mod guard;
mod literal;
#[cfg(test)]
mod tests;

use std::{borrow::Cow, collections::BTreeMap};

pub use compile::{compile, Compiled};
pub use cql2::Expr;
pub use guard::{properties, Limits};
use sqlx::{Postgres, QueryBuilder};

use crate::guard::Quoting;

/// Why a filter was refused. Every message says what is wrong and, where it can, how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CqlError {
    #[error("the filter does not parse: {0}")]
    Syntax(String),
    #[error("unknown property '{name}'; the queryable properties are: {known}")]
    UnknownProperty { name: String, known: String },
    #[error("{0}")]
    Type(String),
    #[error("the operator or function '{0}' is not supported here")]
    Unsupported(String),
    #[error("the filter is too expensive: {0}")]
    TooExpensive(String),
}

/// The type of a queryable property, which decides how literals compared with it are bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QType {
    Text,
    Integer,
    Number,
    Boolean,
    Date,
    Timestamp,
    /// A geometry column or expression in the given SRID.
    Geometry {
        srid: i32,
    },
}

impl QType {
    /// JSON Schema of the type, as `/queryables` documents publish it.
    pub fn json_schema(self) -> serde_json::Value {
        use serde_json::json;
        match self {
            QType::Text => json!({"type": "string"}),
            QType::Integer => json!({"type": "integer"}),
            QType::Number => json!({"type": "number"}),
            QType::Boolean => json!({"type": "boolean"}),
            QType::Date => json!({"type": "string", "format": "date"}),
            QType::Timestamp => json!({"type": "string", "format": "date-time"}),
            QType::Geometry { .. } => {
                json!({"$ref": "https://geojson.org/schema/Geometry.json"})
            }
        }
    }

    fn is_numeric(self) -> bool {
        matches!(self, QType::Integer | QType::Number)
    }

    fn describe(self) -> &'static str {
        match self {
            QType::Text => "a string",
            QType::Integer => "an integer",
            QType::Number => "a number",
            QType::Boolean => "a boolean",
            QType::Date => "a date",
            QType::Timestamp => "a timestamp",
            QType::Geometry { .. } => "a geometry",
        }
    }
}

/// One queryable property: a trusted SQL expression (written by the server, never by a request).
#[derive(Debug, Clone)]
pub struct Queryable {
    pub sql: Cow<'static, str>,
    pub ty: QType,
}

/// The allow-list of what a filter may name, and the SRID its geometry literals are read in.
#[derive(Debug, Clone)]
pub struct Queryables {
    props: BTreeMap<String, Queryable>,
    /// SRID of geometry and BBOX literals in the filter (4326, lon/lat, unless told otherwise).
    pub literal_srid: i32,
}

impl Default for Queryables {
    fn default() -> Self {
        Self::new()
    }
}

impl Queryables {
    pub fn new() -> Self {
        Self {
            props: BTreeMap::new(),
            literal_srid: 4326,
        }
    }

    /// Add a property `name` evaluated as the SQL expression `sql`.
    pub fn with(mut self, name: &str, sql: impl Into<Cow<'static, str>>, ty: QType) -> Self {
        self.insert(name, sql, ty);
        self
    }

    pub fn insert(&mut self, name: &str, sql: impl Into<Cow<'static, str>>, ty: QType) {
        self.props.insert(
            name.to_string(),
            Queryable {
                sql: sql.into(),
                ty,
            },
        );
    }

    pub fn get(&self, name: &str) -> Option<&Queryable> {
        self.props.get(name)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.props.contains_key(name)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Queryable)> {
        self.props.iter().map(|(k, v)| (k.as_str(), v))
    }

    fn lookup(&self, name: &str) -> Result<&Queryable, CqlError> {
        self.get(name).ok_or_else(|| CqlError::UnknownProperty {
            name: name.to_string(),
            known: self.props.keys().cloned().collect::<Vec<_>>().join(", "),
        })
    }
}

/// Steps the cql2-text grammar may take for one filter. pest backtracks: a filter with a dozen
/// parentheses around a mistake costs 2^n steps (17 levels took a second, 30 would take hours),
/// so the work of every parse is bounded. A real filter of the longest accepted length, with a
/// polygon of the most vertices accepted, needs well under a tenth of it.
pub const PARSER_STEPS: usize = 2_000_000;

fn bound_parser_work() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| pest::set_call_limit(std::num::NonZeroUsize::new(PARSER_STEPS)));
}

/// Parse cql2-text, refusing oversized or deeply nested input before parsing and costly
/// expressions after. The parser runs on its own large stack ([`crate::guard`]) with bounded
/// work ([`PARSER_STEPS`]): no input can overflow a server thread's stack or keep a core busy.
pub fn parse_text(src: &str, limits: &Limits) -> Result<Expr, CqlError> {
    limits.check_source(src, Quoting::Sql)?;
    bound_parser_work();
    parse_guarded(
        || {
            cql2::parse_text(src).map_err(|e| {
                let e = e.to_string();
                if e.contains("call limit reached") {
                    CqlError::TooExpensive(format!("it needs more than {PARSER_STEPS} parsing steps, at most {PARSER_STEPS} are allowed; check that its parentheses and quotes are balanced and simplify it"))
                } else {
                    CqlError::Syntax(flatten(&e))
                }
            })
        },
        limits,
    )
}

/// Parse cql2-json, with the same guards as [`parse_text`].
pub fn parse_json(src: &str, limits: &Limits) -> Result<Expr, CqlError> {
    limits.check_source(src, Quoting::Json)?;
    parse_guarded(
        || cql2::parse_json(src).map_err(|e| CqlError::Syntax(flatten(&e.to_string()))),
        limits,
    )
}

/// Parse and check the cost on the parser's stack: an expression that is too deep is refused (and
/// dropped, which recurses too) there, so only a bounded tree comes back.
fn parse_guarded(
    parse: impl FnOnce() -> Result<Expr, CqlError> + Send,
    limits: &Limits,
) -> Result<Expr, CqlError> {
    crate::guard::on_parser_stack("it", || {
        let expr = parse()?;
        limits.check(&expr)?;
        Ok(expr)
    })
    .map_err(|e| CqlError::TooExpensive(e.to_string()))?
}

/// Validate `expr` against `queryables` and push the SQL condition into `qb`. On error nothing has
/// been pushed.
pub fn to_sql(
    expr: &Expr,
    queryables: &Queryables,
    qb: &mut QueryBuilder<'_, Postgres>,
) -> Result<(), CqlError> {
    let compiled = compile(expr, queryables)?;
    compiled.push_to(qb);
    Ok(())
}

fn flatten(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
