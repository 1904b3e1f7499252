//! HTML helpers every capability's pages share: a leaf module (it depends on nothing in the crate),
//! so that `web`, `tiles`, `features`, `pages` and `indicators` can all render pages without
//! depending on each other. [`layout`] is the one page frame they share.
pub mod codes;
pub mod geo;
pub mod layout;

use axum::http::{header, HeaderMap};

pub use layout::{layout, layout_with, with_lang, Lang};

/// True when the client prefers HTML (a browser) and did not ask for JSON with `f=json`.
pub fn wants_html(headers: &HeaderMap, f: Option<&str>) -> bool {
    match f {
        Some(f) => f.eq_ignore_ascii_case("html"),
        None => headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .map(|a| a.contains("text/html"))
            .unwrap_or(false),
    }
}

/// Escape text for HTML.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A page whose body is already HTML text, in the shared [`layout`] (French): for pages still
/// built as strings (the diagnosis sheet until it moves to maud). New pages use [`layout`].
pub fn page(title: &str, body: &str) -> String {
    layout(title, Lang::Fr, "", maud::PreEscaped(body.to_string())).into_string()
}

/// The first non-blank of `keys` in `props`, as text.
fn first_text(props: &serde_json::Value, keys: &[String]) -> Option<String> {
    keys.iter().find_map(|k| match &props[k.as_str()] {
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    })
}

/// A feature's name for people in `lang`: its name or title in that language, else in the other
/// one, else in English, else its `code` — never empty when the feature has any of them.
pub fn display_name(props: &serde_json::Value, lang: Lang) -> Option<String> {
    let mut keys = Vec::new();
    for l in [lang.code(), lang.other().code(), "en"] {
        for stem in ["name", "title", "label"] {
            keys.push(format!("{stem}_{l}"));
        }
    }
    keys.extend(["name", "code"].map(String::from));
    first_text(props, &keys)
}
