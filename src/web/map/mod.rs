//! The map viewer at `/map` and its assets at `/map/assets/…`.
//!
//! MapLibre GL JS and the RTL text plugin come from the npm registry (web/package.json, installed
//! by scripts/setup-web.sh into web/node_modules) and are served by this server — no CDN. The
//! viewer's own page, script and stylesheet are compiled in. Swagger UI (`swagger-ui-dist`), for
//! the API explorer at `/api.html`, is vendored and served here the same way.
//!
//! `/map?lang=ar` (right-to-left), `/map?municipality=1111`, `/map?embed=1` (a compact bar with
//! the commune's name, the language switch and a link to the full map, a compact legend; the page
//! may be framed by any site — every other page of the viewer only by this one), `layers=` (groups
//! shown, comma separated), and tile filters (`?status=…&theme=…&year=…&funder=…&filter=…`).
//! The basemap under the data is a setting (`config::BasemapArgs`, docs/basemap.md).
use std::{path::PathBuf, sync::Arc};

use axum::{
    extract::{FromRef, Path, Query, State},
    http::{header, HeaderValue, StatusCode},
    response::{Html, IntoResponse, Response},
    routing::get,
    Router,
};

use crate::{config::Settings, error::AppError, html::esc};

mod archive;

const PAGE: &str = include_str!("viewer.html");
const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// The viewer's own files, split by concern (compiled in).
const OWN: &[(&str, &str, &str)] = &[
    ("viewer.js", include_str!("viewer.js"), JS),
    ("i18n.js", include_str!("i18n.js"), JS),
    ("legend.js", include_str!("legend.js"), JS),
    ("popup.js", include_str!("popup.js"), JS),
    ("basemap.js", include_str!("basemap.js"), JS),
    ("embed.js", include_str!("embed.js"), JS),
    ("viewer.css", include_str!("viewer.css"), CSS),
    // citizens' proposals on the map (issue 11): the Propose flow and the proposal panel
    ("propose.js", include_str!("propose.js"), JS),
    ("propose.css", include_str!("propose.css"), CSS),
    // the start-up script of the API explorer (`/api.html`, rendered by `features`)
    ("api-explorer.js", include_str!("api-explorer.js"), JS),
    // `/map?pmtiles=URL`: tiles from an offline archive (docs/offline.md)
    ("offline.js", include_str!("offline.js"), JS),
];

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
        "pmtiles.js",
        "pmtiles/dist/pmtiles.js",
        "text/javascript; charset=utf-8",
    ),
    (
        "mapbox-gl-rtl-text.js",
        "@mapbox/mapbox-gl-rtl-text/dist/mapbox-gl-rtl-text.js",
        "text/javascript; charset=utf-8",
    ),
];

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<Settings>: FromRef<S>,
{
    Router::new()
        .route("/map", get(page))
        .route("/map/assets/{file}", get(asset))
        .route("/map/basemap.pmtiles", get(archive::serve))
}

#[derive(serde::Deserialize)]
pub struct MapQuery {
    lang: Option<String>,
    embed: Option<String>,
}

async fn page(State(settings): State<Arc<Settings>>, Query(q): Query<MapQuery>) -> Response {
    let lang = if q.lang.as_deref() == Some("ar") {
        "ar"
    } else {
        "fr"
    };
    let embed = q.embed.as_deref() == Some("1");
    let config = serde_json::json!({ "lang": lang, "embed": embed, "basemap": settings.basemap })
        .to_string();
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
    if let Some((_, body, ctype)) = OWN.iter().find(|(name, ..)| *name == file) {
        return Ok((
            [
                (header::CONTENT_TYPE, *ctype),
                (header::CACHE_CONTROL, "public, max-age=300"),
            ],
            *body,
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
