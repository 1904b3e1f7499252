//! The map viewer at `/map` and its assets at `/map/assets/…`.
//!
//! MapLibre GL JS and the RTL text plugin come from the npm registry (web/package.json, installed
//! by scripts/setup-web.sh into web/node_modules) and are served by this server — no CDN. The
//! viewer's own page, script and stylesheet are compiled in. Swagger UI (`swagger-ui-dist`), for
//! the API explorer at `/api.html`, is vendored and served here the same way.
//!
//! `/map?lang=ar` (right-to-left), `/map?municipality=1111`, `/map?embed=1` (no chrome; the page
//! may be framed by any site — every other page of the viewer only by this one), and tile filters
//! (`?status=…&theme=…&year=…&funder=…&filter=…`).
use std::path::PathBuf;

use axum::{
    extract::{Path, Query},
    http::{header, HeaderValue, StatusCode},
    response::{Html, IntoResponse, Response},
    routing::get,
    Router,
};

use crate::{error::AppError, html::esc};

const PAGE: &str = include_str!("viewer.html");
const SCRIPT: &str = include_str!("viewer.js");
const STYLE: &str = include_str!("viewer.css");
/// The start-up script of the API explorer (`/api.html`, rendered by `features`).
const EXPLORER: &str = include_str!("api-explorer.js");

/// Vendored files: public name → path under web/node_modules.
const VENDORED: &[(&str, &str, &str)] = &[
    (
        "maplibre-gl.js",
        "maplibre-gl/dist/maplibre-gl.js",
        "text/javascript; charset=utf-8",
    ),
    (
        "maplibre-gl.css",
        "maplibre-gl/dist/maplibre-gl.css",
        "text/css; charset=utf-8",
    ),
    (
        "swagger-ui-bundle.js",
        "swagger-ui-dist/swagger-ui-bundle.js",
        "text/javascript; charset=utf-8",
    ),
    (
        "swagger-ui.css",
        "swagger-ui-dist/swagger-ui.css",
        "text/css; charset=utf-8",
    ),
    (
        "mapbox-gl-rtl-text.js",
        "@mapbox/mapbox-gl-rtl-text/dist/mapbox-gl-rtl-text.js",
        "text/javascript; charset=utf-8",
    ),
];

pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/map", get(page))
        .route("/map/assets/{file}", get(asset))
}

#[derive(serde::Deserialize)]
pub struct MapQuery {
    lang: Option<String>,
    embed: Option<String>,
}

async fn page(Query(q): Query<MapQuery>) -> Response {
    let lang = if q.lang.as_deref() == Some("ar") {
        "ar"
    } else {
        "fr"
    };
    let embed = q.embed.as_deref() == Some("1");
    let config = serde_json::json!({ "lang": lang, "embed": embed }).to_string();
    let html = PAGE
        .replace("{{lang}}", lang)
        .replace("{{dir}}", if lang == "ar" { "rtl" } else { "ltr" })
        .replace("{{body_class}}", if embed { "embed" } else { "" })
        .replace("{{config}}", &esc_script(&config));
    let mut resp = Html(html).into_response();
    let frame = if embed {
        "frame-ancestors *"
    } else {
        "frame-ancestors 'self'"
    };
    resp.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(frame),
    );
    resp
}

/// JSON is safe inside a script element once `<` cannot close it.
fn esc_script(json: &str) -> String {
    json.replace('<', "\\u003c")
}

/// Where web/node_modules is: next to the working directory, else next to the crate.
fn node_modules() -> Option<PathBuf> {
    [
        PathBuf::from("web/node_modules"),
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("web/node_modules"),
    ]
    .into_iter()
    .find(|p| p.is_dir())
}

async fn asset(Path(file): Path<String>) -> Result<Response, AppError> {
    let own = match file.as_str() {
        "viewer.js" => Some((SCRIPT, "text/javascript; charset=utf-8")),
        "viewer.css" => Some((STYLE, "text/css; charset=utf-8")),
        "api-explorer.js" => Some((EXPLORER, "text/javascript; charset=utf-8")),
        _ => None,
    };
    if let Some((body, ctype)) = own {
        return Ok((
            [
                (header::CONTENT_TYPE, ctype),
                (header::CACHE_CONTROL, "public, max-age=300"),
            ],
            body,
        )
            .into_response());
    }
    let Some((_, rel, ctype)) = VENDORED.iter().find(|(name, ..)| *name == file) else {
        return Err(AppError::not_found(format!(
            "no viewer asset '{}'",
            esc(&file)
        )));
    };
    let Some(dir) = node_modules() else {
        return Ok((
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "the map viewer's assets are not installed: run scripts/setup-web.sh (npm ci in web/)",
        )
            .into_response());
    };
    let body = tokio::fs::read(dir.join(rel))
        .await
        .map_err(|e| AppError::internal(format!("reading vendored asset {rel}"), e))?;
    Ok((
        [
            (header::CONTENT_TYPE, *ctype),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        body,
    )
        .into_response())
}
