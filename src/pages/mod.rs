//! Pages for people about one thing: a project (`/projects/{code}`) and an administrative unit
//! (`/units/{level}/{code}`). Bilingual (`?lang=ar|fr`, else Accept-Language; Arabic right to
//! left), printable, linkable, in the shared frame ([`crate::html::layout`]).
//!
//! Nothing here decides what a caller may see: a project is found with
//! [`crate::projects::access::visible`] (the visibility rule, as the API) and read through the
//! planning queries ([`crate::projects::context_json`], [`crate::projects::history_json`]); its
//! geometry and a unit's projects come through the features layer's SQL
//! ([`crate::features::read::query`], the `projects` layer of the registry), so a masked public
//! geometry is what these pages draw too. A project the caller may not see is a 404, said in both
//! languages.
mod chart;
mod data;
mod project;
mod unit;

use axum::extract::{FromRequestParts, Path};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use maud::html;

use crate::html::{layout, Lang};
use crate::{auth::Caller, ctx::Ctx, error::AppResult};

/// The two pages, for any router state the handlers' extractors (the pool and settings, the
/// caller's key) can be taken from.
pub fn routes<S>() -> axum::Router<S>
where
    S: Clone + Send + Sync + 'static,
    Ctx: FromRequestParts<S>,
    Caller: FromRequestParts<S>,
{
    axum::Router::new()
        .route("/projects/{code}", get(project_page))
        .route("/units/{level}/{code}", get(unit_page))
}

/// The 404 page: what was not found, in both languages, and where to look instead.
fn not_found(lang: Lang, url: &str, fr: &str, ar: &str) -> Response {
    let body = html! {
        h1 { (lang.t("غير موجود", "Introuvable")) }
        p lang="fr" dir="ltr" { (fr) }
        p lang="ar" dir="rtl" { (ar) }
        p { a href={ "/map?lang=" (lang.code()) } { (lang.t("افتح الخريطة", "Ouvrir la carte")) } }
    };
    let page = layout(lang.t("غير موجود", "Introuvable"), lang, url, body);
    (StatusCode::NOT_FOUND, Html(page.into_string())).into_response()
}

/// What a page handler answers: the page, its 404, or an error for the edge to say.
type Page = AppResult<Response>;

async fn project_page(state: Ctx, Path(code): Path<String>, who: Caller, lang: Lang) -> Page {
    let url = format!(
        "/projects/{}?lang={}",
        crate::features::render::url::urlencode(&code),
        lang.code()
    );
    match data::project(&state.pool, &code, &who).await? {
        Some(p) => Ok(Html(project::render(&p, lang, &url).into_string()).into_response()),
        None => Ok(not_found(
            lang,
            &url,
            &format!("Aucun projet de code « {code} », ou il n'est pas public et cette clé ne peut pas le voir."),
            &format!("لا يوجد مشروع بالرمز «{code}»، أو أنه غير عمومي ولا يسمح هذا المفتاح برؤيته."),
        )),
    }
}

async fn unit_page(
    state: Ctx,
    Path(unit): Path<(String, String)>,
    who: Caller,
    lang: Lang,
) -> Page {
    let (level, code) = unit;
    let enc = crate::features::render::url::urlencode;
    let url = format!("/units/{}/{}?lang={}", enc(&level), enc(&code), lang.code());
    match data::unit(&state.pool, &level, &code, &who).await? {
        Some(u) => Ok(Html(unit::render(&u, lang, &url).into_string()).into_response()),
        None => Ok(not_found(
            lang,
            &url,
            &format!("Aucune unité « {level} » de code « {code} » aujourd'hui. Niveaux : governorate, delegation, municipality ; codes : /api/units?q=NOM."),
            &format!("لا توجد وحدة «{level}» بالرمز «{code}» حاليا. المستويات: governorate و delegation و municipality؛ الرموز: ‎/api/units?q=NOM."),
        )),
    }
}

/// Whole dinars with thin-space thousands: `24 893 000 DT` / `24 893 000 د.ت`.
pub fn dinars(v: Option<f64>, lang: Lang) -> String {
    match v {
        None => "—".into(),
        Some(v) => format!("{} {}", group(v.round() as i64), lang.t("د.ت", "DT")),
    }
}

/// An integer with thin-space thousands, isolated left to right.
pub fn group(n: i64) -> String {
    let s = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    // a left-to-right isolate: in Arabic text the thin spaces would otherwise reorder the groups
    format!("\u{2066}{}{out}\u{2069}", if n < 0 { "-" } else { "" })
}

/// A share 0–1 as a percentage with at most one decimal.
pub fn share(v: Option<f64>) -> String {
    v.map(|v| {
        let p = (v * 1000.0).round() / 10.0;
        format!("{p} %")
    })
    .unwrap_or_else(|| "—".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_for_people() {
        assert_eq!(group(24893000), "\u{2066}24\u{202f}893\u{202f}000\u{2069}");
        assert_eq!(
            dinars(Some(999.6), Lang::Fr),
            "\u{2066}1\u{202f}000\u{2069} DT"
        );
        assert_eq!(share(Some(0.333333)), "33.3 %");
    }
}
