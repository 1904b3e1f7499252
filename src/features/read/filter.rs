//! CQL2 filters on features: parsed and translated by the shared `crate::cql` module (identifiers
//! only from the collection's queryables, every value bound), with the features-specific parts
//! here: `filter-lang`, `filter-crs` (including EPSG:4326's latitude-first axis order, handled by
//! swapping the literal's coordinates before translation) and the typed binding of the simple
//! `property=value` query parameters.
use chrono::{DateTime, NaiveDate, Utc};
use cql2::Expr;
use sqlx::{Postgres, QueryBuilder};

use super::crs::Crs;
use crate::cql::{self, Limits, QType, Queryables};
use crate::layers::{Layer, PType};

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct FilterError(pub String);

fn err<T>(msg: impl Into<String>) -> Result<T, FilterError> {
    Err(FilterError(msg.into()))
}

/// Which language the filter is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Text,
    Json,
}

impl Lang {
    pub fn parse(s: &str) -> Result<Self, FilterError> {
        match s {
            "cql2-text" => Ok(Lang::Text),
            "cql2-json" => Ok(Lang::Json),
            other => err(format!(
                "filter-lang={other} is not supported; use cql2-text or cql2-json"
            )),
        }
    }
}

/// Parse a filter; a syntax error carries the position (`line:column`) where parsing stopped.
pub fn parse(src: &str, lang: Lang) -> Result<Expr, FilterError> {
    let limits = Limits::default();
    match lang {
        Lang::Text => cql::parse_text(src, &limits),
        Lang::Json => cql::parse_json(src, &limits),
    }
    .map_err(|e| FilterError(e.to_string()))
}

/// The queryables of a collection for the shared translator, with literals read in `crs`.
pub fn queryables(c: &'static Layer, crs: &Crs) -> Queryables {
    let mut q = Queryables::new();
    for p in c.props {
        q.insert(p.name, p.sql, p.ty.qtype());
    }
    q.insert("geometry", c.geom, QType::Geometry { srid: 4326 });
    if c.prop("id").is_none() {
        q.insert("id", c.fid, c.fid_type.qtype());
    }
    q.literal_srid = crs.srid;
    q
}

/// Push the filter as a condition over the collection's row `t`.
pub fn push(
    qb: &mut QueryBuilder<'_, Postgres>,
    c: &'static Layer,
    crs: &Crs,
    expr: &Expr,
) -> Result<(), FilterError> {
    let flipped;
    let expr = if crs.lat_first {
        flipped = flip(expr.clone())?;
        &flipped
    } else {
        expr
    };
    cql::to_sql(expr, &queryables(c, crs), qb).map_err(|e| FilterError(e.to_string()))
}

/// Swap x and y of every geometry literal (latitude-first input → longitude-first).
fn flip(e: Expr) -> Result<Expr, FilterError> {
    Ok(match e {
        Expr::Operation { op, args } => Expr::Operation {
            op,
            args: args
                .into_iter()
                .map(|a| flip(*a).map(Box::new))
                .collect::<Result<_, _>>()?,
        },
        Expr::BBox { bbox } if bbox.len() == 4 => {
            let mut b = bbox;
            b.swap(0, 1);
            b.swap(2, 3);
            Expr::BBox { bbox: b }
        }
        Expr::BBox { bbox } if bbox.len() == 6 => {
            let mut b = bbox;
            b.swap(0, 1);
            b.swap(3, 4);
            Expr::BBox { bbox: b }
        }
        Expr::Geometry(cql2::Geometry::Wkt(w)) => Expr::Geometry(cql2::Geometry::Wkt(flip_wkt(&w))),
        g @ Expr::Geometry(cql2::Geometry::GeoJSON(_)) => {
            let mut v = serde_json::to_value(&g).map_err(|e| FilterError(e.to_string()))?;
            flip_json(&mut v);
            serde_json::from_value::<Expr>(v).map_err(|e| FilterError(e.to_string()))?
        }
        other => other,
    })
}

/// Swap the first two numbers of every coordinate tuple of a WKT string.
fn flip_wkt(w: &str) -> String {
    let mut out = String::with_capacity(w.len());
    let mut chunk = String::new();
    let flush = |chunk: &mut String, out: &mut String| {
        let nums: Vec<&str> = chunk.split_whitespace().collect();
        if nums.len() >= 2 && nums.iter().all(|n| n.parse::<f64>().is_ok()) {
            let mut v = nums.clone();
            v.swap(0, 1);
            out.push_str(&v.join(" "));
        } else {
            out.push_str(chunk);
        }
        chunk.clear();
    };
    for ch in w.chars() {
        if matches!(ch, '(' | ')' | ',') {
            flush(&mut chunk, &mut out);
            out.push(ch);
        } else {
            chunk.push(ch);
        }
    }
    flush(&mut chunk, &mut out);
    out
}

fn flip_json(v: &mut serde_json::Value) {
    if let serde_json::Value::Object(m) = v {
        if let Some(c) = m.get_mut("coordinates") {
            flip_coords(c);
        }
        if let Some(serde_json::Value::Array(gs)) = m.get_mut("geometries") {
            gs.iter_mut().for_each(flip_json);
        }
    }
}

fn flip_coords(v: &mut serde_json::Value) {
    if let serde_json::Value::Array(a) = v {
        if a.first().is_some_and(|x| x.is_number()) {
            if a.len() >= 2 {
                a.swap(0, 1);
            }
        } else {
            a.iter_mut().for_each(flip_coords);
        }
    }
}

/// Bind a literal as the type of what it is compared with.
pub fn bind_literal(
    qb: &mut QueryBuilder<'_, Postgres>,
    s: &str,
    ty: Option<PType>,
) -> Result<(), FilterError> {
    match ty {
        None | Some(PType::Str) => {
            qb.push_bind(s.to_string());
        }
        Some(PType::Int) | Some(PType::Num) => {
            let f: f64 = s
                .trim()
                .parse()
                .ok()
                .filter(|f: &f64| f.is_finite())
                .ok_or_else(|| FilterError(format!("'{s}' is not a number")))?;
            qb.push_bind(f);
        }
        Some(PType::Bool) => {
            let b = match s.to_ascii_lowercase().as_str() {
                "true" | "1" => true,
                "false" | "0" => false,
                _ => return err(format!("'{s}' is not a boolean; use true or false")),
            };
            qb.push_bind(b);
        }
        Some(PType::Date) => {
            if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                qb.push_bind(d);
            } else {
                qb.push_bind(parse_timestamp(s)?);
            }
        }
        Some(PType::DateTime) => {
            if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                qb.push_bind(d).push("::timestamptz");
            } else {
                qb.push_bind(parse_timestamp(s)?);
            }
        }
    }
    Ok(())
}

pub fn parse_timestamp(s: &str) -> Result<DateTime<Utc>, FilterError> {
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|_| {
            FilterError(format!(
                "'{s}' is not a date (2020-01-31) or an RFC 3339 timestamp (2020-01-31T12:00:00Z)"
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::read::crs;

    fn sql(src: &str, lang: Lang, crs: &Crs) -> Result<String, FilterError> {
        let e = parse(src, lang)?;
        let mut qb = QueryBuilder::<Postgres>::new("");
        push(
            &mut qb,
            crate::layers::find("municipalities").unwrap(),
            crs,
            &e,
        )?;
        Ok(qb.sql().to_string())
    }

    #[test]
    fn translates_with_binds() {
        let s = sql(
            "population > 100000 AND name_fr LIKE 'Tun%'",
            Lang::Text,
            crs::crs84(),
        )
        .unwrap();
        assert!(!s.contains("Tun") && s.contains("$2"), "{s}");
        let s = sql(
            r#"{"op":"in","args":[{"property":"code"},["1111","1116"]]}"#,
            Lang::Json,
            crs::crs84(),
        )
        .unwrap();
        assert!(s.contains("IN ($1, $2)"), "{s}");
    }

    #[test]
    fn rejects_unknown_and_broken() {
        let e = sql("nope = 1", Lang::Text, crs::crs84()).unwrap_err();
        assert!(e.0.contains("nope"), "{e}");
        let e = sql("population >", Lang::Text, crs::crs84()).unwrap_err();
        assert!(e.0.contains("1:13"), "{e}");
        let e = sql("{\"op\":", Lang::Json, crs::crs84()).unwrap_err();
        assert!(e.0.contains("line 1"), "{e}");
    }

    #[test]
    fn flips_latitude_first_literals() {
        assert_eq!(
            flip_wkt("POLYGON((36 10, 37 10, 37 11, 36 10))"),
            "POLYGON((10 36,10 37,11 37,10 36))"
        );
        assert_eq!(flip_wkt("POINT(36.8 10.1)"), "POINT(10.1 36.8)");
    }
}
