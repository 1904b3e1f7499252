//! HTML helpers every capability's pages share: a leaf module (it depends on nothing in the crate),
//! so that `web`, `tiles` and `features` can all render pages without depending on each other.
use axum::http::{header, HeaderMap};

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

/// A minimal, self-contained HTML page (no external assets).
pub fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{}</title><style>body{{font-family:system-ui,'Noto Sans','Noto Sans Arabic',sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}\
         a{{color:#0b5cad}}small{{color:#666}}table{{border-collapse:collapse}}td,th{{border:1px solid #ddd;padding:.2rem .5rem;text-align:start}}</style></head>\
         <body>{}</body></html>",
        esc(title),
        body
    )
}
