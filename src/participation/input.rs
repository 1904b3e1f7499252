//! Request bodies of the participation endpoints, checked before the database sees them: nesting,
//! JSON shape (unknown fields refused), text lengths (`guard::text_limit`), GeoJSON structure
//! (`guard::check_geojson_geometry`).
use serde::Deserialize;
use serde_json::Value;

use crate::{
    error::AppError,
    guard::{
        check_geojson_geometry, check_len, check_nesting, request_body, text_limit, Quoting,
        RequestBody,
    },
};

/// Brackets a participation body may nest (a MultiPolygon needs 5 inside its object).
const MAX_NESTING: usize = 16;

pub const THEMES: &[&str] = &[
    "roads",
    "lighting",
    "water_sanitation",
    "waste",
    "green_spaces",
    "sports_culture",
    "education",
    "health",
    "markets_economy",
    "mobility",
    "other",
];

pub fn parse<T: RequestBody>(bytes: &[u8], expected: &str) -> Result<T, AppError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| AppError::bad_request("the body must be UTF-8 JSON"))?;
    if text.trim().is_empty() {
        return Err(AppError::bad_request(format!(
            "the request body is empty: send a JSON object with {expected}"
        )));
    }
    check_nesting(text, Quoting::Json, MAX_NESTING, "the body")
        .map_err(|e| AppError::bad_request(e.to_string()))?;
    serde_json::from_str(text).map_err(|e| {
        AppError::bad_request(format!(
            "the body is not valid: {e}; send a JSON object with {expected}"
        ))
    })
}

/// A trimmed text (None when blank) of at most `text_limit(limit_name)` characters.
pub fn text(
    v: Option<String>,
    field: &'static str,
    limit_name: &str,
) -> Result<Option<String>, AppError> {
    let Some(v) = v else { return Ok(None) };
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    if v.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
    {
        return Err(AppError::bad_request(format!(
            "\"{field}\" contains control characters: send plain text"
        )));
    }
    check_len(v, text_limit(limit_name), field)
        .map_err(|e| AppError::bad_request(e.to_string()))?;
    Ok(Some(v.to_string()))
}

pub fn required(
    v: Option<String>,
    field: &'static str,
    limit_name: &str,
) -> Result<String, AppError> {
    text(v, field, limit_name)?.ok_or_else(|| {
        AppError::bad_request(format!("\"{field}\" is required / الحقل {field} إجباري"))
    })
}

/// A GeoJSON geometry of one of the `allowed` types, with lon/lat in range; returned as text for
/// `ST_GeomFromGeoJSON`.
pub fn geometry(v: &Value, allowed: &[&str]) -> Result<String, AppError> {
    check_geojson_geometry(v).map_err(|e| AppError::bad_request(format!("\"geometry\": {e}")))?;
    let ty = v.get("type").and_then(Value::as_str).unwrap_or_default();
    if !allowed.contains(&ty) {
        return Err(AppError::bad_request(format!(
            "\"geometry\" must be a {}, not a {ty}",
            allowed.join(" or ")
        )));
    }
    fn in_range(v: &Value) -> bool {
        match v {
            Value::Array(a) if a.first().is_some_and(Value::is_number) => {
                let x = a[0].as_f64().unwrap_or(f64::NAN);
                let y = a.get(1).and_then(Value::as_f64).unwrap_or(f64::NAN);
                (-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y)
            }
            Value::Array(a) => a.iter().all(in_range),
            _ => false,
        }
    }
    if !v.get("coordinates").is_some_and(in_range) {
        return Err(AppError::bad_request(
            "\"geometry\" coordinates must be longitude, latitude in EPSG:4326 (WGS 84)",
        ));
    }
    Ok(v.to_string())
}

/// A proposal's fields, once: as sent (`SubmitBody`: geometry `G` a GeoJSON value, texts `T`
/// optional) and as checked (`Submission`: the geometry as GeoJSON text, the required texts present).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Proposal<G, T: Default> {
    pub geometry: G,
    #[serde(default)]
    pub theme: T,
    #[serde(default)]
    pub lang: T,
    #[serde(default)]
    pub title: T,
    #[serde(default)]
    pub body: T,
    pub address: Option<String>,
    pub author_name: Option<String>,
    pub author_contact: Option<String>,
    /// Honeypot: a field the form hides from humans; bots fill it (always `None` once checked).
    pub website: Option<String>,
}

pub type SubmitBody = Proposal<Value, Option<String>>;
pub type Submission = Proposal<String, String>;
impl RequestBody for SubmitBody {}

pub fn theme(v: Option<String>) -> Result<String, AppError> {
    match v.as_deref().map(str::trim) {
        Some(t) if THEMES.contains(&t) => Ok(t.to_string()),
        Some(t) => Err(AppError::bad_request(format!(
            "unknown theme {:?}: use one of {}",
            t.chars().take(40).collect::<String>(),
            THEMES.join(", ")
        ))),
        None => Err(AppError::bad_request(format!(
            "\"theme\" is required: one of {}",
            THEMES.join(", ")
        ))),
    }
}

pub fn lang(v: Option<String>) -> Result<String, AppError> {
    match v.as_deref() {
        Some("ar") | Some("fr") => Ok(v.unwrap_or_default()),
        _ => Err(AppError::bad_request(
            "\"lang\" is required: \"ar\" (العربية) or \"fr\" (français)",
        )),
    }
}

impl SubmitBody {
    pub fn honeypot(&self) -> bool {
        self.website
            .as_deref()
            .is_some_and(|w| !w.trim().is_empty())
    }

    pub fn validate(self) -> Result<Submission, AppError> {
        Ok(Submission {
            geometry: geometry(&self.geometry, &["Point", "Polygon", "MultiPolygon"])?,
            theme: theme(self.theme)?,
            lang: lang(self.lang)?,
            title: required(self.title, "title", "title")?,
            body: required(self.body, "body", "description")?,
            address: text(self.address, "address", "label")?,
            author_name: text(self.author_name, "author_name", "label")?,
            author_contact: text(self.author_contact, "author_contact", "label")?,
            website: None,
        })
    }
}

request_body! {
    pub struct EditBody {
        pub geometry: Option<Value>,
        pub theme: Option<String>,
        pub title: Option<String>,
        pub body: Option<String>,
        pub address: Option<String>,
    }

    pub struct SupportBody {
        pub code: Option<String>,
    }

    pub struct CommentBody {
        pub body: Option<String>,
        pub parent_id: Option<i64>,
        pub website: Option<String>,
    }

    /// `{"reason"}`: why a proposal or comment is reported, why an author is contacted.
    pub struct ReasonBody {
        pub reason: Option<String>,
    }
}

pub fn report_reason(v: Option<String>) -> Result<String, AppError> {
    match v.as_deref() {
        Some("spam" | "offensive" | "off_topic") => Ok(v.unwrap_or_default()),
        _ => Err(AppError::bad_request(
            "\"reason\" is required: spam, offensive or off_topic",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn geometry_checks() {
        let ok = |v: Value| geometry(&v, &["Point", "Polygon"]);
        assert!(ok(json!({"type":"Point","coordinates":[10.1,36.8]})).is_ok());
        assert!(ok(json!({"type":"Point","coordinates":[210.1,36.8]})).is_err());
        assert!(ok(json!({"type":"LineString","coordinates":[[1,2],[2,3]]})).is_err());
        assert!(ok(json!({"type":"Point"})).is_err());
    }

    #[test]
    fn texts() {
        assert_eq!(text(Some("  ".into()), "t", "title").unwrap(), None);
        assert!(text(Some("x".repeat(501)), "t", "title").is_err());
        assert!(text(Some("a\u{0}b".into()), "t", "title").is_err());
        assert!(theme(Some("roads".into())).is_ok());
        assert!(theme(Some("nope".into())).is_err());
    }
}
