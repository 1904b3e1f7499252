//! Parsing and validation of the gazetteer's query parameters (pure functions, unit-tested).
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::error::TerritoryError;

/// Default and maximum number of search results.
pub const DEFAULT_LIMIT: i64 = 10;
pub const MAX_LIMIT: i64 = 100;

/// Raw `/api/locate` parameters, kept as text so that every mistake gets our own message.
#[derive(Debug, Default, Deserialize)]
pub struct LocateQuery {
    pub lon: Option<String>,
    pub lat: Option<String>,
    #[serde(alias = "as_of")]
    pub at: Option<String>,
}

/// Raw `/api/units` parameters.
#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    pub q: Option<String>,
    pub level: Option<String>,
    pub limit: Option<String>,
    #[serde(alias = "as_of")]
    pub at: Option<String>,
}

/// A validated point in EPSG:4326 (longitude, latitude in degrees).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub lon: f64,
    pub lat: f64,
}

fn invalid(msg: String) -> TerritoryError {
    TerritoryError::InvalidParameter(msg)
}

fn coordinate(name: &str, raw: Option<&str>, bound: f64) -> Result<f64, TerritoryError> {
    let raw = raw.map(str::trim).filter(|s| !s.is_empty()).ok_or_else(|| {
        invalid(format!(
            "missing parameter '{name}': give a decimal number of degrees between -{bound} and {bound} \
             (WGS 84), e.g. /api/locate?lon=10.1815&lat=36.8065"
        ))
    })?;
    let v: f64 = raw.parse().map_err(|_| {
        invalid(format!(
            "'{name}={raw}' is not a number: give decimal degrees with a dot, between -{bound} and {bound}"
        ))
    })?;
    if !v.is_finite() || v.abs() > bound {
        return Err(invalid(format!(
            "'{name}={raw}' is out of range: {name} must be between -{bound} and {bound} degrees"
        )));
    }
    Ok(v)
}

/// The point of a `/api/locate` request.
pub fn point(q: &LocateQuery) -> Result<Point, TerritoryError> {
    Ok(Point {
        lon: coordinate("lon", q.lon.as_deref(), 180.0)?,
        lat: coordinate("lat", q.lat.as_deref(), 90.0)?,
    })
}

/// `at=` (or `as_of=`): the one definition of "as of a date" ([`crate::asof`]): a date is the end of
/// that day in Tunisia, a date-time is taken as given; future dates are refused.
pub fn instant(raw: Option<&str>) -> Result<Option<DateTime<Utc>>, TerritoryError> {
    crate::asof::parse_named("at", raw, Utc::now()).map_err(invalid)
}

/// The search text: required, with at least one letter or digit.
pub fn search_text(raw: Option<&str>) -> Result<String, TerritoryError> {
    let q = raw.map(str::trim).unwrap_or_default();
    if q.is_empty() {
        return Err(invalid(
            "missing parameter 'q': give a name or part of a name in Arabic, French or English, \
             e.g. /api/units?q=sidi%20bou%20said"
                .into(),
        ));
    }
    if !q.chars().any(char::is_alphanumeric) {
        return Err(invalid(format!(
            "'q={q}' has no letter or digit to search for"
        )));
    }
    if q.chars().count() > 200 {
        return Err(invalid("'q' is too long: at most 200 characters".into()));
    }
    Ok(q.to_string())
}

/// `limit=`: 1 to [`MAX_LIMIT`], default [`DEFAULT_LIMIT`]; larger values are clamped.
pub fn limit(raw: Option<&str>) -> Result<i64, TerritoryError> {
    let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(DEFAULT_LIMIT);
    };
    match raw.parse::<i64>() {
        Ok(n) if n >= 1 => Ok(n.min(MAX_LIMIT)),
        _ => Err(invalid(format!(
            "'limit={raw}' is not valid: give a whole number from 1 to {MAX_LIMIT}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(lon: &str, lat: &str) -> LocateQuery {
        LocateQuery {
            lon: Some(lon.into()),
            lat: Some(lat.into()),
            at: None,
        }
    }

    #[test]
    fn points() {
        assert_eq!(
            point(&q("10.18", " 36.8 ")).unwrap(),
            Point {
                lon: 10.18,
                lat: 36.8
            }
        );
        for (lon, lat) in [
            ("", "1"),
            ("abc", "1"),
            ("1", "91"),
            ("181", "1"),
            ("NaN", "1"),
        ] {
            let e = point(&q(lon, lat)).unwrap_err().to_string();
            assert!(e.contains("between"), "{e}");
        }
        let e = point(&LocateQuery::default()).unwrap_err().to_string();
        assert!(e.contains("missing parameter 'lon'"), "{e}");
    }

    #[test]
    fn instants() {
        assert_eq!(instant(None).unwrap(), None);
        // a date is the end of that day, Tunis time (crate::asof)
        let d = instant(Some("2015-06-01")).unwrap().unwrap();
        assert_eq!(d.to_rfc3339(), "2015-06-01T22:59:59.999999+00:00");
        let t = instant(Some("2015-06-01T12:00:00 01:00")).unwrap().unwrap();
        assert_eq!(t.to_rfc3339(), "2015-06-01T11:00:00+00:00");
        let n = instant(Some("2015-06-01T12:00:00")).unwrap().unwrap();
        assert_eq!(n.to_rfc3339(), "2015-06-01T12:00:00+00:00");
        assert!(instant(Some("yesterday")).is_err());
        assert!(instant(Some("2999-01-01")).is_err());
    }

    #[test]
    fn search_params() {
        assert!(search_text(None).is_err());
        assert!(search_text(Some("  ")).is_err());
        assert!(search_text(Some("\u{200f}%")).is_err());
        assert_eq!(search_text(Some(" تونس ")).unwrap(), "تونس");
        assert_eq!(limit(None).unwrap(), DEFAULT_LIMIT);
        assert_eq!(limit(Some("1000")).unwrap(), MAX_LIMIT);
        assert!(limit(Some("0")).is_err());
        assert!(limit(Some("ten")).is_err());
    }
}
