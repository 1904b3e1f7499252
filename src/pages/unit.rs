//! The unit page: key figures, the unit on a map with the projects the caller may see, those
//! projects listed, and links to the diagnosis sheet and to the web map.
use maud::{html, Markup};
use serde_json::Value;

use super::{data::UnitData, dinars, group, share};
use crate::html::{display_name, geo, layout, Lang};

fn level_name(level: &str, lang: Lang) -> &'static str {
    match level {
        "governorate" => lang.t("ولاية", "Gouvernorat"),
        "delegation" => lang.t("معتمدية", "Délégation"),
        "municipality" => lang.t("بلدية", "Commune"),
        _ => lang.t("وحدة", "Unité"),
    }
}

fn figure(v: &Value) -> String {
    v.as_f64()
        .map(|n| group(n.round() as i64))
        .unwrap_or_else(|| "—".into())
}

fn cards(u: &Value, area: Option<f64>, lang: Lang) -> Markup {
    html! {
        div.cards {
            div.card { (lang.t("السكان", "Population")) b.ltr { (figure(&u["population"])) }
                @if let Some(y) = u["population_year"].as_i64() { small { (y) } } }
            div.card { (lang.t("المساحة", "Superficie")) b.ltr { (area.map(|a| format!("{a:.1} km²")).unwrap_or_else(|| "—".into())) } }
            div.card { (lang.t("المشاريع", "Projets")) b.ltr { (figure(&u["project_count"])) } }
            div.card { (lang.t("الميزانية", "Budget")) b.ltr { (dinars(u["budget_tnd"].as_f64(), lang)) } }
            div.card { (lang.t("الميزانية لكل ساكن", "Budget par habitant")) b.ltr { (dinars(u["budget_per_inhabitant"].as_f64(), lang)) } }
            div.card { (lang.t("نسبة الإنجاز المالي", "Exécution financière")) b.ltr { (share(u["execution_rate"].as_f64())) } }
            div.card { (lang.t("مدارس", "Écoles")) b.ltr { (figure(&u["school_count"])) } }
            div.card { (lang.t("مرافق صحية", "Santé")) b.ltr { (figure(&u["health_count"])) } }
        }
    }
}

fn projects(d: &UnitData, lang: Lang) -> Markup {
    let items = d.diagnosis["projects"]["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    html! {
        h2 { (lang.t("المشاريع", "Projets")) }
        @if items.is_empty() { p { (lang.t("لا يوجد مشروع منشور في هذه الوحدة.", "Aucun projet publié dans cette unité.")) } }
        @else { div.scroll { table {
            tr { th { (lang.t("المشروع", "Projet")) } th { (lang.t("الحالة", "Statut")) } th { (lang.t("الحصة", "Part")) } th { (lang.t("الميزانية في الوحدة", "Budget dans l'unité")) } }
            @for p in &items {
                @let code = p["code"].as_str().unwrap_or("");
                tr.project {
                    td { a href={ "/projects/" (code) "?lang=" (lang.code()) } { (display_name(p, lang).unwrap_or_else(|| code.to_string())) } }
                    td { (p[if lang == Lang::Ar { "status_ar" } else { "status_fr" }].as_str().unwrap_or("")) }
                    td.ltr { (share(p["share"].as_f64())) }
                    td.ltr { (dinars(p["budget_tnd"].as_f64(), lang)) }
                }
            }
        } } }
    }
}

fn parent_link(p: &Value, lang: Lang) -> Markup {
    let (level, code) = (
        p["level"].as_str().unwrap_or(""),
        p["code"].as_str().unwrap_or(""),
    );
    html! { a href={ "/units/" (level) "/" (code) "?lang=" (lang.code()) } { (display_name(p, lang).unwrap_or_else(|| code.to_string())) } }
}

pub fn render(d: &UnitData, lang: Lang, url: &str) -> Markup {
    let u = &d.unit;
    let names = serde_json::json!({ "name_ar": u.names.name_ar, "name_fr": u.names.name_fr, "name_en": u.names.name_en, "code": u.names.code });
    let name = display_name(&names, lang).unwrap_or_else(|| u.names.code.clone());
    let l = lang.code();
    let mut shapes = vec![geo::Shape {
        geometry: &u.geometry,
        class: "unit",
        title: name.clone(),
        href: None,
    }];
    shapes.extend(d.projects.iter().map(|(code, props, g)| geo::Shape {
        geometry: g,
        class: "project",
        title: display_name(props, lang).unwrap_or_else(|| code.clone()),
        href: Some(format!("/projects/{code}?lang={l}")),
    }));
    let map_href = if u.names.level == "municipality" {
        format!("/map?municipality={}&lang={l}", u.names.code)
    } else {
        let c = |i: usize| u.bbox.get(i).copied().unwrap_or(0.0);
        format!(
            "/map?lon={:.4}&lat={:.4}&z=9&lang={l}",
            (c(0) + c(2)) / 2.0,
            (c(1) + c(3)) / 2.0
        )
    };
    let body = html! {
        article.unit {
            h1 { (name) }
            p.meta { (level_name(&u.names.level, lang)) " · " code { (u.names.code) }
                @if let Some(parent) = &u.parent { " · " (lang.t("تابعة لـ ", "rattachée à ")) (parent_link(parent, lang)) } }
            p.links {
                a.cta href={ "/api/units/" (u.names.level) "/" (u.names.code) "/diagnosis?f=html&lang=" (l) } { (lang.t("بطاقة التشخيص", "Fiche de diagnostic")) } " "
                a.cta href=(map_href) { (lang.t("على الخريطة", "Sur la carte")) }
            }
            (cards(&d.diagnosis["unit"], u.area_km2, lang))
            div.grid2 {
                div { @match <[f64; 4]>::try_from(u.bbox.as_slice()) {
                    Ok(b) => (geo::map_in(&shapes, &name, b)),
                    Err(_) => @if let Some(m) = geo::map(&shapes, &name) { (m) },
                } }
                div { (projects(d, lang)) }
            }
            p.noprint { a href={ "/api/units/" (u.names.level) "/" (u.names.code) } type="application/json" { "JSON" } }
        }
    };
    layout(&name, lang, url, body)
}
