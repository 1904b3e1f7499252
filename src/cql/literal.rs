//! Checks of literal values, so that a bad value is a 400 naming it rather than a failed query.
use chrono::{DateTime, NaiveDate};
use cql2::Expr;

use super::CqlError;

fn type_err<T>(msg: impl Into<String>) -> Result<T, CqlError> {
    Err(CqlError::Type(msg.into()))
}

pub(super) fn literal_text(e: &Expr, what: &str) -> Result<String, CqlError> {
    match e {
        Expr::Literal(s) => Ok(s.clone()),
        _ => type_err(format!("{what}() takes a quoted string")),
    }
}

pub(super) fn check_date(s: &str) -> Result<(), CqlError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(|_| ())
        .or_else(|_| type_err(format!("'{s}' is not a date; write it as YYYY-MM-DD")))
}

pub(super) fn check_timestamp(s: &str) -> Result<(), CqlError> {
    DateTime::parse_from_rfc3339(s)
        .map(|_| ())
        .or_else(|_| check_date(s))
        .or_else(|_| {
            type_err(format!(
                "'{s}' is not a timestamp; write it as RFC 3339, e.g. 2024-01-31T12:00:00Z"
            ))
        })
}

/// Refuse geometry literals PostGIS would reject with an error (unclosed or degenerate rings,
/// non-finite numbers), so that a bad filter is a 400 rather than a failed query.
pub(super) fn check_wkt(text: &str) -> Result<(), CqlError> {
    use std::str::FromStr;
    use wkt::{types::LineString, Wkt};
    let g = Wkt::<f64>::from_str(text)
        .map_err(|e| CqlError::Syntax(format!("invalid geometry: {e}")))?;
    fn finite(l: &LineString<f64>) -> bool {
        l.coords()
            .iter()
            .all(|c| c.x.is_finite() && c.y.is_finite())
    }
    fn ring_ok(r: &LineString<f64>) -> bool {
        let c = r.coords();
        finite(r) && c.len() >= 4 && c.first().map(|p| (p.x, p.y)) == c.last().map(|p| (p.x, p.y))
    }
    fn ok(g: &Wkt<f64>) -> bool {
        match g {
            Wkt::Point(p) => p.coord().is_none_or(|c| c.x.is_finite() && c.y.is_finite()),
            Wkt::MultiPoint(m) => m
                .points()
                .iter()
                .all(|p| p.coord().is_none_or(|c| c.x.is_finite() && c.y.is_finite())),
            Wkt::LineString(l) => l.coords().len() != 1 && finite(l),
            Wkt::MultiLineString(m) => m
                .line_strings()
                .iter()
                .all(|l| l.coords().len() != 1 && finite(l)),
            Wkt::Polygon(p) => p.rings().iter().all(ring_ok),
            Wkt::MultiPolygon(m) => m.polygons().iter().all(|p| p.rings().iter().all(ring_ok)),
            Wkt::GeometryCollection(c) => c.geometries().iter().all(ok),
        }
    }
    if ok(&g) {
        Ok(())
    } else {
        Err(CqlError::Syntax(
            "invalid geometry: polygon rings must be closed with at least 4 points, lines need 2, \
             coordinates must be finite"
                .into(),
        ))
    }
}
