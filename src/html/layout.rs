//! The one page frame every HTML page for people shares (OGC API pages, landing, project and unit
//! pages, the diagnosis sheet): `<html lang dir>` (Arabic right to left), a header with the
//! Mokhattat name, the navigation and the ar/fr switch, a footer with the page's source URL, the
//! date and the attribution (OSM/ODbL, World Bank CC BY), and one stylesheet with print rules.
//!
//! Built with `maud`: every interpolated value is escaped; raw HTML goes in only through
//! `PreEscaped`, used here for the stylesheet alone.
//!
//! ```ignore
//! use crate::html::{layout, Lang};
//! let page = layout("Tunis", Lang::Ar, "/units/municipality/1111?lang=ar", maud::html! { h1 { "Tunis" } });
//! ```
use axum::http::{header, HeaderMap};
use maud::{html, Markup, PreEscaped, DOCTYPE};

/// The language a page is read in. French is the default (the administration's working language
/// on screens); Arabic pages are right to left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    Ar,
    #[default]
    Fr,
}

impl Lang {
    /// `?lang=ar|fr` wins; else the first of ar/fr in Accept-Language; else French. An unknown
    /// `lang=` value is ignored (a page for people never fails on its language).
    pub fn pick(query: Option<&str>, headers: &HeaderMap) -> Lang {
        if let Some(l) = query.and_then(Lang::tag) {
            return l;
        }
        let accept = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        accept
            .split(',')
            .filter_map(|part| Lang::tag(part.split(';').next().unwrap_or("")))
            .next()
            .unwrap_or_default()
    }

    /// For a document that refuses an unknown language (the diagnosis sheet answers 400): `fr`
    /// (also when absent or blank) or `ar`, any case, trimmed; else what is wrong and how to fix it.
    pub fn parse(v: Option<&str>) -> Result<Lang, String> {
        match v.map(str::trim).filter(|v| !v.is_empty()) {
            None => Ok(Lang::Fr),
            Some(v) if v.eq_ignore_ascii_case("fr") => Ok(Lang::Fr),
            Some(v) if v.eq_ignore_ascii_case("ar") => Ok(Lang::Ar),
            Some(v) => Err(format!(
                "'lang={v}' is not a language of this document: give lang=fr or lang=ar"
            )),
        }
    }

    /// A language tag (`ar`, `fr-FR`, …) as one of ours.
    fn tag(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        let primary = s.split(['-', '_']).next().unwrap_or("");
        match primary {
            "ar" => Some(Lang::Ar),
            "fr" => Some(Lang::Fr),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ar => "ar",
            Lang::Fr => "fr",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Ar => Lang::Fr,
            Lang::Fr => Lang::Ar,
        }
    }

    pub fn dir(self) -> &'static str {
        match self {
            Lang::Ar => "rtl",
            Lang::Fr => "ltr",
        }
    }

    /// Any value for this language, French first: `fr_ar(fr, ar)`.
    pub fn fr_ar<T>(self, fr: T, ar: T) -> T {
        match self {
            Lang::Fr => fr,
            Lang::Ar => ar,
        }
    }

    /// The text in this language: `t(ar, fr)`.
    pub fn t<'a>(self, ar: &'a str, fr: &'a str) -> &'a str {
        match self {
            Lang::Ar => ar,
            Lang::Fr => fr,
        }
    }
}

/// The reader's language as an extractor: `?lang=`, then Accept-Language (never a rejection: a
/// page for people answers whatever the query string holds).
impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(parts.uri.query().unwrap_or("")).unwrap_or_default();
        let asked = pairs
            .iter()
            .find(|(k, _)| k == "lang")
            .map(|(_, v)| v.as_str());
        Ok(Lang::pick(asked, &parts.headers))
    }
}

/// `url` (a path with its query) with `lang=` set to `lang`, other parameters kept.
pub fn with_lang(url: &str, lang: Lang) -> String {
    // an absolute address (a document's printed source) links as a path on this server
    let url = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => url,
    };
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let mut parts: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("lang="))
        .collect();
    let l = format!("lang={}", lang.code());
    parts.push(&l);
    format!("{path}?{}", parts.join("&"))
}

const STYLE: &str = include_str!("layout.css");

/// The page frame: `title` (the `<title>` and nothing else: the body carries its own `<h1>`),
/// the reader's `lang`, `url` — this page's path and query as requested, or its absolute address
/// (the footer prints it as the source; the language switch links to the same path and keeps its
/// other parameters) — and the `body`.
pub fn layout(title: &str, lang: Lang, url: &str, body: Markup) -> Markup {
    layout_with(title, lang, url, html! {}, body)
}

/// [`layout`] with more in the `<head>` (a document's own print rules, e.g. the diagnosis sheet's
/// A4 page boxes).
pub fn layout_with(title: &str, lang: Lang, url: &str, head: Markup, body: Markup) -> Markup {
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let other = lang.other();
    html! {
        (DOCTYPE)
        html lang=(lang.code()) dir=(lang.dir()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width,initial-scale=1";
                title { (title) " — " (lang.t("مخطط", "Mokhattat")) }
                link rel="icon" type="image/svg+xml" href="/favicon.svg";
                style { (PreEscaped(STYLE)) }
                (head)
            }
            body {
                header.site {
                    a.brand href={ "/?f=html&lang=" (lang.code()) } { "Mokhattat " span lang="ar" { "مخطط" } }
                    nav aria-label=(lang.t("التصفح", "Navigation")) {
                        a href={ "/map?lang=" (lang.code()) } { (lang.t("الخريطة", "Carte")) }
                        a href={ "/collections?f=html&lang=" (lang.code()) } { (lang.t("البيانات", "Données")) }
                        a href="/api.html" { "API" }
                    }
                    a.lang-switch href=(with_lang(url, other)) hreflang=(other.code()) lang=(other.code()) {
                        (other.t("العربية", "Français"))
                    }
                }
                main { (body) }
                footer.site {
                    p {
                        @if !url.is_empty() { (lang.t("المصدر: ", "Source : ")) span.src dir="ltr" { (url) } " · " }
                        (lang.t("بتاريخ ", "le ")) time datetime=(today) dir="ltr" { (today) }
                    }
                    p.attribution {
                        (lang.t("البيانات: ", "Données : "))
                        // plain text, no external link: pages are self-contained (and print the same)
                        "© " (lang.t("مساهمو OpenStreetMap", "contributeurs OpenStreetMap"))
                        " (ODbL) · " (lang.t("البنك الدولي", "Banque mondiale")) " (CC BY 4.0) · Mokhattat"
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_from_query_then_header() {
        let mut h = HeaderMap::new();
        assert_eq!(Lang::pick(None, &h), Lang::Fr);
        h.insert(
            header::ACCEPT_LANGUAGE,
            "en-GB, ar-TN;q=0.8".parse().unwrap(),
        );
        assert_eq!(Lang::pick(None, &h), Lang::Ar);
        assert_eq!(Lang::pick(Some("fr"), &h), Lang::Fr);
        assert_eq!(Lang::pick(Some("xx"), &h), Lang::Ar);
    }

    #[test]
    fn a_strict_document_refuses_an_unknown_language() {
        assert_eq!(Lang::parse(None), Ok(Lang::Fr));
        assert_eq!(Lang::parse(Some(" AR ")), Ok(Lang::Ar));
        let e = Lang::parse(Some("de")).unwrap_err();
        assert!(
            e.contains("lang=de") && e.contains("lang=fr or lang=ar"),
            "{e}"
        );
        assert_eq!(Lang::Ar.fr_ar(1, 2), 2);
    }

    #[test]
    fn switch_keeps_other_parameters() {
        assert_eq!(with_lang("/a?x=1&lang=fr", Lang::Ar), "/a?x=1&lang=ar");
        assert_eq!(with_lang("/a", Lang::Fr), "/a?lang=fr");
        assert_eq!(
            with_lang("https://x.tn/a/b?f=html&lang=fr", Lang::Ar),
            "/a/b?f=html&lang=ar"
        );
    }

    #[test]
    fn title_is_escaped_and_arabic_is_rtl() {
        let page = layout("<script>x</script>", Lang::Ar, "/p?q=<b>", html! {}).into_string();
        assert!(!page.contains("<script>x"));
        assert!(page.contains("dir=\"rtl\""));
    }
}
