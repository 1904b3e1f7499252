//! Query parameters of the features endpoints: parsed, checked, and rebuilt for paging links.
// size: a little over 400 lines: the parameters, their parsing and their unit tests belong together.
//! Unknown parameters are a 400, except the ones the operator allows (`--allow-query-param`,
//! default `api_key`) because QGIS and GDAL repeat whatever the user put in the connection URL.
use chrono::{DateTime, NaiveDate, Utc};

use super::crs::{self, Crs};
use super::filter::{self, Lang};
use crate::features::FeaturesError;
use crate::layers::{Layer, Prop};

pub const DEFAULT_LIMIT: i64 = 100;
pub const MAX_LIMIT: i64 = 10_000;

/// Raw `(name, value)` pairs, in request order.
pub type Pairs = Vec<(String, String)>;

/// Reject parameters that are not `known` and not allowed extras.
pub fn check_known(
    pairs: &Pairs,
    known: &[&str],
    extra: &[String],
    coll: Option<&Layer>,
) -> Result<(), FeaturesError> {
    for (k, _) in pairs {
        let ok = known.contains(&k.as_str())
            || extra.iter().any(|e| e == k)
            || coll.is_some_and(|c| c.prop(k).is_some());
        if !ok {
            let mut names: Vec<&str> = known.to_vec();
            if let Some(c) = coll {
                names.extend(c.props.iter().map(|p| p.name));
            }
            return Err(FeaturesError::BadParam(format!(
                "unknown query parameter `{k}`; this endpoint accepts: {}",
                names.join(", ")
            )));
        }
    }
    Ok(())
}

fn single<'a>(pairs: &'a Pairs, name: &str) -> Result<Option<&'a str>, FeaturesError> {
    // the same value twice is tolerated: GDAL appends the connection URL's query string to
    // `next` links that already carry it
    // an empty value counts as absent (`?datetime=&filter=` from form-like clients)
    let mut it = pairs
        .iter()
        .filter(|(k, v)| k == name && !v.trim().is_empty());
    let first = it.next().map(|(_, v)| v.as_str());
    if it.any(|(_, v)| Some(v.as_str()) != first) {
        return Err(FeaturesError::BadParam(format!(
            "`{name}` is given more than once with different values"
        )));
    }
    Ok(first)
}

pub fn get<'a>(pairs: &'a Pairs, name: &str) -> Result<Option<&'a str>, FeaturesError> {
    single(pairs, name)
}

pub const ITEMS_PARAMS: &[&str] = &[
    "f",
    "limit",
    "offset",
    "bbox",
    "bbox-crs",
    "datetime",
    "crs",
    "properties",
    "sortby",
    "filter",
    "filter-lang",
    "filter-crs",
    // the language of the HTML pages (ignored by the other formats)
    "lang",
];

/// Metadata endpoints (`/collections`, `/collections/{id}`, `/queryables`, `/api`, `/conformance`,
/// one item) accept and ignore the items parameters and property names: GDAL and QGIS repeat the
/// query string of the connection URL (e.g. `?crs=…` to get projected coordinates) on every request.
pub fn check_meta(pairs: &Pairs, extra: &[String]) -> Result<(), FeaturesError> {
    for (k, _) in pairs {
        let ok = ITEMS_PARAMS.contains(&k.as_str())
            || extra.iter().any(|e| e == k)
            || crate::layers::collections().any(|c| c.prop(k).is_some());
        if !ok {
            return Err(FeaturesError::BadParam(format!(
                "unknown query parameter `{k}`; this endpoint accepts: f (and the items parameters, which it ignores)"
            )));
        }
    }
    Ok(())
}

pub enum SortKey {
    Fid,
    Prop(&'static Prop),
}

/// A time interval; `None` ends are open.
pub type Interval = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

pub struct ItemsParams {
    pub limit: i64,
    pub offset: i64,
    pub bbox: Option<[f64; 4]>,
    pub bbox_crs: &'static Crs,
    pub datetime: Option<Interval>,
    pub crs: &'static Crs,
    pub properties: Option<Vec<&'static Prop>>,
    pub sortby: Vec<(SortKey, bool)>,
    pub eq: Vec<(&'static Prop, String)>,
    pub filter: Option<cql2::Expr>,
    pub filter_crs: &'static Crs,
}

fn parse_crs(pairs: &Pairs, name: &str) -> Result<&'static Crs, FeaturesError> {
    match single(pairs, name)? {
        None => Ok(crs::crs84()),
        Some(v) => crs::parse(v).ok_or_else(|| FeaturesError::BadParam(crs::unsupported(name, v))),
    }
}

// size: one short block per OGC items parameter, in the order of the standard
pub fn parse_items(coll: &'static Layer, pairs: &Pairs) -> Result<ItemsParams, FeaturesError> {
    let bad = |m: String| FeaturesError::BadParam(m);
    let limit = match single(pairs, "limit")? {
        None => DEFAULT_LIMIT,
        Some(v) => {
            let n: i64 = v.trim().parse().map_err(|_| {
                bad(format!(
                    "limit={v} is not a whole number; use 1 to {MAX_LIMIT}"
                ))
            })?;
            if n < 1 {
                return Err(bad(format!("limit={v} must be at least 1")));
            }
            n.min(MAX_LIMIT)
        }
    };
    let offset = match single(pairs, "offset")? {
        None => 0,
        Some(v) => {
            let n: i64 = v
                .trim()
                .parse()
                .map_err(|_| bad(format!("offset={v} is not a whole number")))?;
            if n < 0 {
                return Err(bad(format!("offset={v} must not be negative")));
            }
            n
        }
    };
    let bbox_crs = parse_crs(pairs, "bbox-crs")?;
    let bbox = match single(pairs, "bbox")? {
        None => None,
        Some(v) => Some(parse_bbox(v, bbox_crs)?),
    };
    let datetime = single(pairs, "datetime")?.map(parse_datetime).transpose()?;
    let crs = parse_crs(pairs, "crs")?;
    let properties = match single(pairs, "properties")? {
        None => None,
        Some(v) => Some(
            v.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|name| {
                    coll.prop(name).ok_or_else(|| {
                        bad(format!(
                            "properties: `{name}` is not a property of {}; choose from {}",
                            coll.id,
                            prop_names(coll)
                        ))
                    })
                })
                .collect::<Result<Vec<&'static Prop>, _>>()
                .map(|mut v| {
                    // a property named twice is returned once
                    let mut seen = std::collections::HashSet::new();
                    v.retain(|p| seen.insert(p.name));
                    v
                })?,
        ),
    };
    let mut sortby = Vec::new();
    if let Some(v) = single(pairs, "sortby")? {
        for part in v.split(',').filter(|s| !s.trim().is_empty()) {
            // a '+' decodes to a space in query strings
            let (desc, name) = match part.trim_start().strip_prefix('-') {
                Some(n) => (true, n.trim()),
                None => (false, part.trim().trim_start_matches('+').trim()),
            };
            let key = if name == "id" && coll.prop("id").is_none() {
                SortKey::Fid
            } else {
                SortKey::Prop(coll.prop(name).ok_or_else(|| {
                    bad(format!(
                        "sortby: `{name}` is not a property of {}; choose from id, {}",
                        coll.id,
                        prop_names(coll)
                    ))
                })?)
            };
            sortby.push((key, desc));
        }
    }
    let mut eq = Vec::new();
    for (k, v) in pairs {
        if let Some(p) = coll.prop(k) {
            if !eq
                .iter()
                .any(|(q, w): &(&Prop, String)| q.name == p.name && w == v)
            {
                eq.push((p, v.clone()));
            }
        }
    }
    let lang = match single(pairs, "filter-lang")? {
        None => Lang::Text,
        Some(v) => Lang::parse(v).map_err(|e| bad(e.0))?,
    };
    let filter = match single(pairs, "filter")? {
        None => None,
        Some(v) => Some(filter::parse(v, lang).map_err(|e| bad(e.0))?),
    };
    let filter_crs = parse_crs(pairs, "filter-crs")?;
    Ok(ItemsParams {
        limit,
        offset,
        bbox,
        bbox_crs,
        datetime,
        crs,
        properties,
        sortby,
        eq,
        filter,
        filter_crs,
    })
}

fn prop_names(coll: &Layer) -> String {
    coll.props
        .iter()
        .map(|p| p.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// `minx,miny,maxx,maxy` (or 6 numbers with heights) in the bbox CRS's axis order, returned as
/// x/y (longitude first for EPSG:4326).
pub fn parse_bbox(v: &str, crs: &Crs) -> Result<[f64; 4], FeaturesError> {
    let nums: Vec<f64> = v
        .split(',')
        .map(|s| s.trim().parse::<f64>().ok().filter(|f| f.is_finite()))
        .collect::<Option<_>>()
        .ok_or_else(|| {
            FeaturesError::BadParam(format!("bbox={v} must be 4 or 6 comma-separated numbers"))
        })?;
    let [a, b, c, d] = match nums.as_slice() {
        [a, b, c, d] => [*a, *b, *c, *d],
        [a, b, _, d, e, _] => [*a, *b, *d, *e],
        _ => {
            return Err(FeaturesError::BadParam(format!(
                "bbox={v} must be 4 or 6 comma-separated numbers"
            )))
        }
    };
    let [x1, y1, x2, y2] = if crs.lat_first {
        [b, a, d, c]
    } else {
        [a, b, c, d]
    };
    if x1 > x2 || y1 > y2 {
        return Err(FeaturesError::BadParam(format!(
            "bbox={v}: the lower corner must come first (min, min, max, max)"
        )));
    }
    if crs.geographic && (y1 < -90.0 || y2 > 90.0 || x1 < -180.0 || x2 > 180.0) {
        return Err(FeaturesError::BadParam(format!(
            "bbox={v} is outside longitude -180..180 / latitude -90..90{}",
            if crs.lat_first {
                " (EPSG:4326 is latitude first)"
            } else {
                ""
            }
        )));
    }
    Ok([x1, y1, x2, y2])
}

/// `datetime`: an instant, a date, or an interval `a/b` with `..` or empty for open ends.
pub fn parse_datetime(v: &str) -> Result<Interval, FeaturesError> {
    let one = |s: &str, end: bool| -> Result<Option<DateTime<Utc>>, FeaturesError> {
        let s = s.trim();
        if s.is_empty() || s == ".." {
            return Ok(None);
        }
        if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            // a date is a day in Tunisia, the one definition of crate::asof (docs/dates.md)
            return Ok(if end {
                crate::asof::day_end(d)
            } else {
                crate::asof::day_start(d)
            });
        }
        DateTime::parse_from_rfc3339(s)
            .map(|d| Some(d.with_timezone(&Utc)))
            .map_err(|_| FeaturesError::BadParam(format!(
                "datetime={v}: `{s}` is not a date (2019-01-31), an RFC 3339 time (2019-01-31T12:00:00Z) or `..`"
            )))
    };
    match v.split_once('/') {
        Some((a, b)) => {
            let (s, e) = (one(a, false)?, one(b, true)?);
            if s.is_none() && e.is_none() && (a.trim() != ".." && b.trim() != "..") {
                return Err(FeaturesError::BadParam(format!(
                    "datetime={v} is an empty interval"
                )));
            }
            if let (Some(s), Some(e)) = (s, e) {
                if s > e {
                    return Err(FeaturesError::BadParam(format!(
                        "datetime={v}: the start is after the end"
                    )));
                }
            }
            Ok((s, e))
        }
        None => {
            if v.trim() == ".." || v.trim().is_empty() {
                return Err(FeaturesError::BadParam(format!(
                    "datetime={v} is not an instant or an interval"
                )));
            }
            Ok((one(v, false)?, one(v, true)?))
        }
    }
}

/// The query string of a paging link: every original parameter, with `offset` and `limit` set.
pub fn with_page(pairs: &Pairs, limit: i64, offset: i64) -> String {
    serde_urlencoded::to_string(page_pairs(pairs, limit, offset)).unwrap_or_default()
}

/// `pairs` with `offset` and `limit` set.
pub fn page_pairs(pairs: &Pairs, limit: i64, offset: i64) -> Pairs {
    let mut out: Pairs = Vec::with_capacity(pairs.len() + 2);
    for p in pairs.iter().filter(|(k, _)| k != "offset" && k != "limit") {
        if !out.contains(p) {
            out.push(p.clone());
        }
    }
    out.push(("limit".into(), limit.to_string()));
    if offset > 0 {
        out.push(("offset".into(), offset.to_string()));
    }
    out
}

/// The query string with `f` replaced (for `alternate` links).
pub fn with_format(pairs: &Pairs, f: Option<&str>) -> String {
    let mut out: Pairs = pairs.iter().filter(|(k, _)| k != "f").cloned().collect();
    if let Some(f) = f {
        out.push(("f".into(), f.into()));
    }
    serde_urlencoded::to_string(&out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(q: &str) -> Pairs {
        serde_urlencoded::from_str(q).unwrap()
    }

    #[test]
    fn limit_is_clamped_and_bbox_axis_order() {
        let c = crate::layers::find("municipalities").unwrap();
        let p = parse_items(c, &pairs("limit=999999")).unwrap();
        assert_eq!(p.limit, MAX_LIMIT);
        assert!(parse_items(c, &pairs("limit=0")).is_err());
        let p = parse_items(
            c,
            &pairs("bbox=36,10,37,11&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/4326"),
        )
        .unwrap();
        assert_eq!(p.bbox, Some([10.0, 36.0, 11.0, 37.0]));
        assert!(parse_items(c, &pairs("crs=EPSG:2154")).is_err());
        let p = parse_items(c, &pairs("sortby=+name_fr,-population")).unwrap();
        assert!(matches!(p.sortby[1], (SortKey::Prop(p), true) if p.name == "population"));
        assert!(parse_items(c, &pairs("sortby=nope")).is_err());
    }

    #[test]
    fn datetime_forms() {
        assert!(parse_datetime("2019-01-01").is_ok());
        assert_eq!(parse_datetime("../2019-01-01T00:00:00Z").unwrap().0, None);
        assert!(parse_datetime("2020-01-01/2019-01-01").is_err());
        assert!(parse_datetime("yesterday").is_err());
    }

    #[test]
    fn unknown_params() {
        let c = crate::layers::find("municipalities").unwrap();
        assert!(check_known(
            &pairs("limit=1&api_key=x&code=1111"),
            ITEMS_PARAMS,
            &["api_key".into()],
            Some(c)
        )
        .is_ok());
        assert!(check_known(&pairs("foo=1"), ITEMS_PARAMS, &["api_key".into()], Some(c)).is_err());
    }

    #[test]
    fn page_links_keep_params() {
        let q = with_page(
            &pairs("filter=name_fr%20LIKE%20%27T%25%27&limit=5&offset=5"),
            5,
            10,
        );
        assert_eq!(q, "filter=name_fr+LIKE+%27T%25%27&limit=5&offset=10");
    }
}
