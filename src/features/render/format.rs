//! Output formats and content negotiation (`f=` first, then `Accept`).
use axum::http::{header, HeaderMap};

use crate::features::FeaturesError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Html,
    Csv,
    Gpkg,
    Fgb,
}

pub const GEOJSON: &str = "application/geo+json";
pub const JSON: &str = "application/json";
pub const HTML: &str = "text/html";
pub const CSV: &str = "text/csv";
pub const GPKG: &str = "application/geopackage+sqlite3";
pub const FGB: &str = "application/flatgeobuf";
pub const SCHEMA_JSON: &str = "application/schema+json";
pub const OPENAPI: &str = "application/vnd.oai.openapi+json;version=3.0";

impl Format {
    /// The `f=` value.
    pub fn key(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Html => "html",
            Format::Csv => "csv",
            Format::Gpkg => "gpkg",
            Format::Fgb => "fgb",
        }
    }

    pub fn items_media(self) -> &'static str {
        match self {
            Format::Json => GEOJSON,
            Format::Html => HTML,
            Format::Csv => CSV,
            Format::Gpkg => GPKG,
            Format::Fgb => FGB,
        }
    }

    fn from_key(s: &str) -> Option<Self> {
        Some(match s.to_ascii_lowercase().as_str() {
            "json" | "geojson" | "application/json" | "application/geo+json" => Format::Json,
            "html" | "text/html" => Format::Html,
            "csv" | "text/csv" => Format::Csv,
            "gpkg" | "geopackage" | "application/geopackage+sqlite3" => Format::Gpkg,
            "fgb" | "flatgeobuf" | "application/flatgeobuf" => Format::Fgb,
            _ => return None,
        })
    }
}

/// Choose the format among `offered` (the first one is the default).
pub fn negotiate(
    f: Option<&str>,
    headers: &HeaderMap,
    offered: &[Format],
) -> Result<Format, FeaturesError> {
    let list = || {
        offered
            .iter()
            .map(|f| f.key())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(f) = f {
        return Format::from_key(f)
            .filter(|x| offered.contains(x))
            .ok_or_else(|| {
                FeaturesError::BadParam(format!(
                    "f={f} is not offered here; use one of: {}",
                    list()
                ))
            });
    }
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    // first acceptable media type in the order the client listed them (q-values are rarely used
    // by GIS clients; browsers list text/html first)
    for part in accept.split(',') {
        let mt = part.split(';').next().unwrap_or("").trim();
        if mt == "*/*" || mt == "application/*" {
            break;
        }
        if let Some(fmt) = Format::from_key(mt).filter(|x| offered.contains(x)) {
            return Ok(fmt);
        }
    }
    Ok(offered[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation() {
        let all = [
            Format::Json,
            Format::Html,
            Format::Csv,
            Format::Gpkg,
            Format::Fgb,
        ];
        let mut h = HeaderMap::new();
        assert_eq!(negotiate(None, &h, &all).unwrap(), Format::Json);
        h.insert(
            header::ACCEPT,
            "text/html,application/xhtml+xml,*/*;q=0.8".parse().unwrap(),
        );
        assert_eq!(negotiate(None, &h, &all).unwrap(), Format::Html);
        assert_eq!(negotiate(Some("json"), &h, &all).unwrap(), Format::Json);
        h.insert(
            header::ACCEPT,
            "application/geo+json, application/json".parse().unwrap(),
        );
        assert_eq!(negotiate(None, &h, &all).unwrap(), Format::Json);
        h.insert(header::ACCEPT, GPKG.parse().unwrap());
        assert_eq!(negotiate(None, &h, &all).unwrap(), Format::Gpkg);
        assert!(negotiate(Some("xml"), &h, &all).is_err());
        assert!(negotiate(Some("csv"), &h, &[Format::Json]).is_err());
    }
}
