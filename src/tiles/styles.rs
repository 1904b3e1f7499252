//! Map styles (`styles/*.json`, compiled in): served with this server's base URL and the label
//! language filled in. `GET /styles/{id}.json?lang=fr|ar`.
use std::sync::Arc;

use axum::{
    extract::{Path, Query, State},
    http::header,
    response::{IntoResponse, Response},
    Json,
};
use serde_json::{json, Value};

use crate::{config::Settings, error::AppError};

/// (id, template, title, for QGIS)
const STYLES: &[(&str, &str, &str, bool)] = &[
    (
        "planning",
        include_str!("../../styles/planning.json"),
        "Planning: boundaries, land use, projects, facilities (MapLibre)",
        false,
    ),
    (
        "planning-qgis",
        include_str!("../../styles/planning-qgis.json"),
        "Planning, QGIS-safe (no step, zoom stops, legacy filters, system fonts)",
        true,
    ),
];

#[derive(serde::Deserialize)]
pub struct StyleQuery {
    lang: Option<String>,
}

/// A style with its placeholders filled: `{{base}}`, `{{lang}}`, `{{name}}` / `{{name_alt}}`
/// (the unit name fields in the label language and the other one), `{{title}}` and `{{label}}`
/// (the project title with its fallbacks, computed in the tiles: QGIS 3.22 has no `coalesce`).
pub fn render(template: &str, base: &str, lang: &str) -> String {
    let (name, alt, title, label) = if lang == "ar" {
        ("name_ar", "name_fr", "title_ar", "label_ar")
    } else {
        ("name_fr", "name_ar", "title_fr", "label_fr")
    };
    template
        .replace("{{base}}", base)
        .replace("{{lang}}", lang)
        .replace("{{name_alt}}", alt)
        .replace("{{name}}", name)
        .replace("{{title}}", title)
        .replace("{{label}}", label)
}

/// `GET /styles`
pub async fn list(State(settings): State<Arc<Settings>>) -> Response {
    let base = &settings.base_url;
    let styles: Vec<Value> = STYLES
        .iter()
        .map(|(id, _, title, qgis)| {
            json!({
                "id": id, "title": title, "qgis_safe": qgis,
                "links": [
                    {"rel": "stylesheet", "type": "application/vnd.mapbox.style+json", "title": "French labels",
                     "href": format!("{base}/styles/{id}.json")},
                    {"rel": "stylesheet", "type": "application/vnd.mapbox.style+json", "title": "Arabic labels",
                     "href": format!("{base}/styles/{id}.json?lang=ar")},
                ],
            })
        })
        .collect();
    Json(json!({ "styles": styles })).into_response()
}

/// `GET /styles/{id}.json`
pub async fn style(
    State(settings): State<Arc<Settings>>,
    Path(file): Path<String>,
    Query(q): Query<StyleQuery>,
) -> Result<Response, AppError> {
    let id = file.strip_suffix(".json").unwrap_or(&file);
    let Some((_, template, _, _)) = STYLES.iter().find(|(i, ..)| *i == id) else {
        return Err(AppError::not_found(format!(
            "no style '{id}'; styles are {}",
            STYLES.iter().map(|s| s.0).collect::<Vec<_>>().join(", ")
        )));
    };
    let lang = match q.lang.as_deref() {
        None | Some("fr") => "fr",
        Some("ar") => "ar",
        Some(other) => {
            return Err(AppError::bad_request(format!(
                "lang={other} is not offered; use fr or ar"
            )))
        }
    };
    Ok((
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        render(template, &settings.base_url, lang),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_render_to_valid_json_without_placeholders() {
        for (id, t, _, qgis) in STYLES {
            for lang in ["fr", "ar"] {
                let s = render(t, "http://h:1", lang);
                assert!(!s.contains("{{"), "{id}: unfilled placeholder");
                let v: Value = serde_json::from_str(&s).unwrap_or_else(|e| panic!("{id}: {e}"));
                assert!(v["layers"].as_array().is_some_and(|l| l.len() > 5));
                if *qgis {
                    assert!(!s.contains("\"step\""), "{id} must not use step");
                }
            }
        }
        let ar = render(STYLES[0].1, "http://h:1", "ar");
        assert!(ar.contains("[\"get\", \"name_ar\"], [\"get\", \"name_fr\"]"));
    }
}
