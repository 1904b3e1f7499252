//! Filters on tiles: `status`, `theme`, `municipality`, `funder`, `year` and a CQL2 `filter`.
//!
//! A filter applies to every layer of the tile that has the property it filters on (a composite
//! `municipalities,projects?status=planned` filters the projects and leaves the boundaries); a
//! filter that applies to none of the requested layers is a 400. Comma-separated values are
//! alternatives (`status=planned,financed`).
use std::collections::{BTreeMap, HashMap};

use crate::cql::{self, Compiled, Limits};

use super::{error::TileError, source::Source};

pub use crate::projects::rules::STATUSES;

/// The parsed, validated filters of one tile request.
#[derive(Debug, Clone, Default)]
pub struct TileFilters {
    pub status: Vec<String>,
    pub theme: Vec<String>,
    pub municipality: Vec<String>,
    pub funder: Vec<String>,
    pub year: Option<i32>,
    /// The CQL2 filter compiled for each layer it applies to.
    pub cql: BTreeMap<Source, Compiled>,
    /// A canonical text of all of the above, for cache keys.
    pub key: String,
}

fn list(v: Option<&String>, name: &str, max_len: usize) -> Result<Vec<String>, TileError> {
    let Some(v) = v else { return Ok(vec![]) };
    let mut out: Vec<String> = v
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    if out.is_empty() {
        return Err(TileError::BadFilter(format!(
            "{name} is empty; give one or more comma-separated values"
        )));
    }
    if out.len() > 50 || out.iter().any(|s| s.chars().count() > max_len) {
        return Err(TileError::BadFilter(format!(
            "{name}: at most 50 values of at most {max_len} characters"
        )));
    }
    out.sort();
    out.dedup();
    Ok(out)
}

impl TileFilters {
    pub fn is_empty(&self) -> bool {
        self.key.is_empty()
    }

    /// Parse the query parameters for a tile of `sources`. Unknown parameters are ignored (tile
    /// clients add their own, e.g. cache busters and `api_key`).
    // size: one match arm per tile filter parameter, each with its own message
    pub fn parse(params: &HashMap<String, String>, sources: &[Source]) -> Result<Self, TileError> {
        let mut f = TileFilters {
            status: list(params.get("status"), "status", 40)?,
            theme: list(params.get("theme"), "theme", 100)?,
            municipality: list(params.get("municipality"), "municipality", 12)?,
            funder: list(params.get("funder"), "funder", 200)?,
            ..Default::default()
        };
        if let Some(bad) = f.status.iter().find(|s| !STATUSES.contains(&s.as_str())) {
            return Err(TileError::BadFilter(format!(
                "status '{bad}' is unknown; statuses are {}",
                STATUSES.join(", ")
            )));
        }
        if let Some(bad) = f
            .municipality
            .iter()
            .find(|s| !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        {
            return Err(TileError::BadFilter(format!(
                "municipality '{bad}' is not a code; use official codes such as 1111 (Tunis)"
            )));
        }
        f.funder = f.funder.iter().map(|s| s.to_lowercase()).collect();
        if let Some(y) = params.get("year") {
            let year: i32 = y.trim().parse().map_err(|_| {
                TileError::BadFilter(format!("year '{y}' is not a year such as 2024"))
            })?;
            if !(1900..=2200).contains(&year) {
                return Err(TileError::BadFilter(format!(
                    "year {year} is out of range (1900–2200)"
                )));
            }
            f.year = Some(year);
        }
        let applies = |name: &str, ok: &dyn Fn(Source) -> bool| -> Result<(), TileError> {
            if sources.iter().any(|s| ok(*s)) {
                Ok(())
            } else {
                let fits: Vec<&str> = Source::ALL
                    .into_iter()
                    .filter(|s| ok(*s))
                    .map(|s| s.id())
                    .collect();
                Err(TileError::BadFilter(format!(
                    "{name} does not apply to {}; it filters {}",
                    ids(sources),
                    fits.join(", ")
                )))
            }
        };
        for (name, present) in [
            ("status", !f.status.is_empty()),
            ("theme", !f.theme.is_empty()),
            ("funder", !f.funder.is_empty()),
            ("year", f.year.is_some()),
        ] {
            if present {
                applies(name, &|s| s == Source::Projects)?;
            }
        }
        if !f.municipality.is_empty() {
            applies("municipality", &|s| {
                s.level().is_none() || s.level() == Some("municipality")
            })?;
        }
        if let Some(lang) = params.get("filter-lang") {
            if lang != "cql2-text" && lang != "cql2-json" {
                return Err(TileError::BadFilter(format!(
                    "filter-lang={lang} is not supported; use cql2-text or cql2-json"
                )));
            }
        }
        if let Some(text) = params.get("filter") {
            let limits = Limits::default();
            let expr = if params.get("filter-lang").map(String::as_str) == Some("cql2-json") {
                cql::parse_json(text, &limits)
            } else {
                cql::parse_text(text, &limits)
            }
            .map_err(|e| TileError::BadFilter(format!("filter: {e}")))?;
            let props = cql::properties(&expr);
            for s in sources {
                let q = s.queryables();
                if props.iter().all(|p| q.contains(p)) {
                    let c = cql::compile(&expr, &q)
                        .map_err(|e| TileError::BadFilter(format!("filter ({}): {e}", s.id())))?;
                    f.cql.insert(*s, c);
                }
            }
            if f.cql.is_empty() {
                let known: Vec<String> = sources
                    .iter()
                    .map(|s| {
                        let q = s.queryables();
                        format!(
                            "{}: {}",
                            s.id(),
                            q.iter().map(|(n, _)| n).collect::<Vec<_>>().join(", ")
                        )
                    })
                    .collect();
                return Err(TileError::BadFilter(format!(
                    "filter: no layer of {} has all of the properties {}; queryable properties are — {}",
                    ids(sources),
                    props.into_iter().collect::<Vec<_>>().join(", "),
                    known.join("; ")
                )));
            }
        }
        f.key = f.canonical();
        Ok(f)
    }

    fn canonical(&self) -> String {
        let mut parts = vec![];
        for (name, v) in [
            ("status", &self.status),
            ("theme", &self.theme),
            ("municipality", &self.municipality),
            ("funder", &self.funder),
        ] {
            if !v.is_empty() {
                parts.push(format!("{name}={}", serde_json::json!(v)));
            }
        }
        if let Some(y) = self.year {
            parts.push(format!("year={y}"));
        }
        for (s, c) in &self.cql {
            parts.push(format!("cql.{}={}", s.id(), c.key()));
        }
        parts.join("&")
    }
}

fn ids(sources: &[Source]) -> String {
    sources.iter().map(|s| s.id()).collect::<Vec<_>>().join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn applies_to_some_layer() {
        let s = [Source::Municipalities, Source::Projects];
        let f = TileFilters::parse(&p(&[("status", "planned,financed")]), &s).unwrap();
        assert_eq!(f.status, vec!["financed", "planned"]);
        assert!(
            TileFilters::parse(&p(&[("status", "planned")]), &[Source::Municipalities]).is_err()
        );
        let e = TileFilters::parse(&p(&[("status", "nope")]), &s).unwrap_err();
        assert!(e.to_string().contains("statuses are"), "{e}");
        let f = TileFilters::parse(&p(&[("filter", "name_fr LIKE 'T%'")]), &s).unwrap();
        assert!(
            f.cql.contains_key(&Source::Municipalities) && !f.cql.contains_key(&Source::Projects)
        );
        let e = TileFilters::parse(&p(&[("filter", "bogus = 1")]), &s).unwrap_err();
        assert!(e.to_string().contains("queryable properties"), "{e}");
        assert!(TileFilters::parse(&p(&[("year", "20x4")]), &s).is_err());
    }

    #[test]
    fn key_is_canonical() {
        let s = [Source::Projects];
        let a = TileFilters::parse(&p(&[("status", "planned,financed"), ("year", "2020")]), &s)
            .unwrap();
        let b = TileFilters::parse(&p(&[("year", "2020"), ("status", "financed, planned")]), &s)
            .unwrap();
        assert_eq!(a.key, b.key);
        assert!(TileFilters::parse(&p(&[]), &s).unwrap().is_empty());
    }
}
