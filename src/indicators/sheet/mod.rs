//! The diagnosis sheet of a unit as a printable A4 document (`?f=html`, `&lang=fr|ar`), rendered
//! from the diagnosis JSON with maud (every text escaped). Self-contained: inline CSS and SVG, no
//! script, no external asset. One page frame ([`page_frame`]) holds the page's head, the printed
//! header and footer (source URL, date, "page / pages" in CSS `@page` margin boxes) and the
//! screen-only links; the sections are in sections.rs, the map in map.rs. See docs/sheet.md.
use maud::{html, Markup, PreEscaped};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use serde_json::Value;

mod map;
mod parts;
mod sections;
mod text;

pub use text::Lang;

use parts::{names, s};
use text::t;

/// What the frame says around a sheet: its title, language, address and date.
pub struct Frame<'a> {
    pub title: &'a str,
    pub lang: Lang,
    /// The address this document is printed from (in the footer of every page).
    pub source: &'a str,
    /// The date the figures are for (in the header of every page).
    pub date: &'a str,
}

/// A CSS string literal saying `v`: every character that is not a letter, digit or space is
/// written as a CSS escape, so nothing in `v` can end the string or the style element.
fn css_string(v: &str) -> String {
    let mut out = String::from("\"");
    for c in v.chars() {
        if c.is_alphanumeric() || c == ' ' {
            out.push(c);
        } else {
            out.push_str(&format!("\\{:x} ", c as u32));
        }
    }
    out.push('"');
    out
}

const STYLE: &str = include_str!("sheet.css");

/// The page around a sheet: A4 page box with the running header (title, date) and footer (source
/// URL, page numbers) on every printed page, and on screen a bar with the other language.
pub fn page_frame(frame: &Frame, body: Markup) -> Markup {
    let (start, end) = frame.lang.fr_ar(("left", "right"), ("right", "left"));
    // LRI … PDI: "1 / 3" stays in that order inside a right-to-left page
    let page = format!(
        "@page{{@top-{start}{{content:{}}}@top-{end}{{content:{}}}@bottom-{start}{{content:{}}}\
         @bottom-{end}{{content:\"\\2066 \" counter(page) \" / \" counter(pages) \"\\2069 \"}}}}",
        css_string(frame.title),
        css_string(frame.date),
        css_string(&format!("{} {}", t(frame.lang, "source"), frame.source)),
    );
    // the site's one layout (header, language switch, footer with source and date), with the
    // sheet's own print rules in its head
    crate::html::layout_with(
        frame.title,
        frame.lang,
        frame.source,
        html! { style { (PreEscaped(STYLE)) (PreEscaped(page)) } },
        body,
    )
}

/// The address of the sheet of `d` in `lang` under `base`.
fn address(base: &str, d: &Value, lang: Lang) -> String {
    let enc = |v: &str| utf8_percent_encode(v, NON_ALPHANUMERIC).to_string();
    let mut url = format!(
        "{base}/api/units/{}/{}/diagnosis?f=html&lang={}",
        enc(s(d, "level")),
        enc(s(d, "code")),
        lang.code()
    );
    if let Some(t) = d.get("as_of").and_then(Value::as_str) {
        url.push_str(&format!("&as_of={}", enc(t)));
    }
    url
}

/// The whole sheet of the diagnosis `d` in `lang`, as served under `base` (the public URL).
pub fn render(d: &Value, lang: Lang, base: &str) -> String {
    let u = d.get("unit").unwrap_or(&Value::Null);
    let level = s(d, "level");
    let (lfr, lar) = names(level);
    let name = |l: Lang| {
        let n = l.fr_ar(s(u, "name_fr"), s(u, "name_ar"));
        if n.is_empty() {
            s(u, "name_en")
        } else {
            n
        }
    };
    let unit_title = format!("{} {}", lang.fr_ar(lfr, lar), name(lang));
    let other_title = format!("{} {}", lang.fr_ar(lar, lfr), name(lang.other()));
    let day = |v: &str| v.chars().take(10).collect::<String>();
    let date = match d.get("as_of").and_then(Value::as_str) {
        Some(at) => day(at),
        None => day(s(d, "generated_at")),
    };
    let title = format!("{} · {unit_title}", t(lang, "sheet"));
    let source = address(base, d, lang);
    let mut map_link = format!("/map?lang={}", lang.code());
    if level == "municipality" {
        let code = utf8_percent_encode(s(d, "code"), NON_ALPHANUMERIC);
        map_link.push_str(&format!("&municipality={code}"));
    }
    let body = html! {
        header {
            h1 { (t(lang, "sheet")) " · " (unit_title) }
            p class="sub" lang=(lang.other().code()) dir=(lang.other().dir()) { (other_title) }
            p class="meta" {
                (s(u, "name_en")) " · " (t(lang, "code")) " " (s(u, "code")) " · "
                (t(lang, "state_at")) " " (date)
                span class="screen" { " · " a href=(map_link) { (t(lang, "open_map")) } }
            }
        }
        section class="top" {
            (map::figure(lang, d, &unit_title))
            div { h2 { (t(lang, "key_figures")) } (sections::key_figures(lang, d)) }
        }
        (sections::investments(lang, d))
        (sections::facilities(lang, d))
        (sections::projects(lang, d))
        (sections::notes(lang, d))
    };
    let frame = Frame {
        title: &title,
        lang,
        source: &source,
        date: &date,
    };
    page_frame(&frame, body).into_string()
}

#[cfg(test)]
mod tests;
