//! The cost guard: bounds on the size of a filter, checked before and after parsing.
use std::collections::BTreeSet;

use cql2::{Expr, Geometry};

use super::CqlError;
use crate::guard::Quoting;

/// Bounds on what one filter may ask of the database.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Characters of filter text (or JSON).
    pub max_source_len: usize,
    /// Nesting depth of the expression tree.
    pub max_depth: usize,
    /// Nesting of brackets in the raw text (a function call or a geometry adds a few levels to
    /// the tree's depth, and cql2-json spends two brackets per level, so this is larger).
    pub max_nesting: usize,
    /// Nodes in the expression tree (operators, properties and literals).
    pub max_nodes: usize,
    /// Items in an `IN (...)` list.
    pub max_list: usize,
    /// Characters of one string literal.
    pub max_literal_len: usize,
    /// Vertices in all geometry literals together.
    pub max_vertices: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_source_len: 8192,
            max_depth: 16,
            max_nesting: 64,
            max_nodes: 256,
            max_list: 200,
            max_literal_len: 512,
            max_vertices: 2000,
        }
    }
}

struct Tally {
    nodes: usize,
    vertices: usize,
}

impl Limits {
    /// Length and bracket nesting of the raw text, checked in one pass before any parsing.
    pub(super) fn check_source(&self, src: &str, quoting: Quoting) -> Result<(), CqlError> {
        let too = |e: crate::guard::GuardError| CqlError::TooExpensive(e.to_string());
        crate::guard::check_len(src, self.max_source_len, "it").map_err(too)?;
        crate::guard::check_nesting(src, quoting, self.max_nesting, "it").map_err(too)
    }

    /// Check an already parsed expression.
    pub fn check(&self, expr: &Expr) -> Result<(), CqlError> {
        let mut tally = Tally {
            nodes: 0,
            vertices: 0,
        };
        self.walk(expr, 1, &mut tally)
    }

    fn walk(&self, expr: &Expr, depth: usize, t: &mut Tally) -> Result<(), CqlError> {
        if depth > self.max_depth {
            return Err(CqlError::TooExpensive(format!(
                "nested more than {} levels deep; at most {} levels are accepted",
                self.max_depth, self.max_depth
            )));
        }
        t.nodes += 1;
        if t.nodes > self.max_nodes {
            return Err(CqlError::TooExpensive(format!(
                "more than {} terms; at most {} are accepted",
                self.max_nodes, self.max_nodes
            )));
        }
        let children: &[Box<Expr>] = match expr {
            Expr::Operation { args, .. } => args,
            Expr::Interval { interval } => interval,
            Expr::BBox { bbox } => bbox,
            Expr::Array(items) => {
                if items.len() > self.max_list {
                    return Err(CqlError::TooExpensive(format!(
                        "a list of {} items, at most {} are accepted",
                        items.len(),
                        self.max_list
                    )));
                }
                items
            }
            Expr::Timestamp { timestamp } => std::slice::from_ref(timestamp),
            Expr::Date { date } => std::slice::from_ref(date),
            Expr::Literal(s) => {
                if s.chars().count() > self.max_literal_len {
                    return Err(CqlError::TooExpensive(format!(
                        "a string of more than {} characters; at most {} are accepted",
                        self.max_literal_len, self.max_literal_len
                    )));
                }
                &[]
            }
            Expr::Geometry(g) => {
                t.vertices += vertices(g)?;
                if t.vertices > self.max_vertices {
                    return Err(CqlError::TooExpensive(format!(
                        "geometries with more than {} vertices; at most {} are accepted",
                        self.max_vertices, self.max_vertices
                    )));
                }
                &[]
            }
            Expr::Property { .. } | Expr::Float(_) | Expr::Bool(_) | Expr::Null => &[],
        };
        for c in children {
            self.walk(c, depth + 1, t)?;
        }
        Ok(())
    }
}

fn vertices(g: &Geometry) -> Result<usize, CqlError> {
    let wkt = g
        .to_wkt()
        .map_err(|e| CqlError::Syntax(format!("invalid geometry: {e}")))?;
    Ok(wkt.matches(',').count() + 1)
}

/// The property names an expression refers to.
pub fn properties(expr: &Expr) -> BTreeSet<String> {
    fn walk(e: &Expr, out: &mut BTreeSet<String>) {
        match e {
            Expr::Property { property } => {
                out.insert(property.clone());
            }
            Expr::Operation { args, .. } => args.iter().for_each(|a| walk(a, out)),
            Expr::Interval { interval } => interval.iter().for_each(|a| walk(a, out)),
            Expr::BBox { bbox } => bbox.iter().for_each(|a| walk(a, out)),
            Expr::Array(items) => items.iter().for_each(|a| walk(a, out)),
            Expr::Timestamp { timestamp } => walk(timestamp, out),
            Expr::Date { date } => walk(date, out),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    walk(expr, &mut out);
    out
}
