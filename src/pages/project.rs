//! The project page: title, status and its history, budget and funders, progress over time,
//! locations on a map with their conformity, the units it is assigned to with shares.
use maud::{html, Markup};
use serde_json::Value;

use super::{chart, data::ProjectData, dinars, share};
use crate::html::{codes, display_name, geo, layout, Lang};

fn s(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The text of `stem` in `lang`, else the other language, else English.
fn in_lang(v: &Value, stem: &str, lang: Lang) -> Option<String> {
    [lang.code(), lang.other().code(), "en"]
        .iter()
        .find_map(|l| s(&v[format!("{stem}_{l}")]))
}

fn status_name(p: &ProjectData, status: &str, lang: Lang) -> String {
    p.statuses
        .iter()
        .find(|(k, _, _)| k == status)
        .map(|(_, fr, ar)| lang.t(ar, fr).to_string())
        .unwrap_or_else(|| status.to_string())
}

fn verdict(v: &str, lang: Lang) -> &'static str {
    match v {
        "allowed" => lang.t("مطابق", "conforme"),
        "forbidden" => lang.t("غير مطابق", "non conforme"),
        "conditional" => lang.t("مطابق بشروط", "conforme sous conditions"),
        "not_assessed" => lang.t("غير مقيّم", "non évalué"),
        _ => lang.t("غير معروف", "inconnu"),
    }
}

fn level_name(level: &str, lang: Lang) -> &'static str {
    match level {
        "governorate" => lang.t("الولاية", "Gouvernorat"),
        "delegation" => lang.t("المعتمدية", "Délégation"),
        "municipality" => lang.t("البلدية", "Commune"),
        _ => lang.t("وحدة", "Unité"),
    }
}

fn history(p: &ProjectData, lang: Lang) -> Markup {
    let events: Vec<&Value> = p.history["events"]
        .as_array()
        .map(|a| a.iter().filter(|e| e["to_status"].is_string()).collect())
        .unwrap_or_default();
    html! {
        h2 { (lang.t("تاريخ الحالة", "Historique du statut")) }
        @if events.is_empty() { p { (lang.t("لا يوجد تغيير مسجل.", "Aucun changement enregistré.")) } }
        @else { ol.history { @for e in events {
            li {
                time.ltr { (s(&e["date"]).unwrap_or_default()) } " — "
                @if let Some(from) = e["from_status"].as_str() { (status_name(p, from, lang)) " → " }
                b { (status_name(p, e["to_status"].as_str().unwrap_or(""), lang)) }
                @if let Some(n) = s(&e["note"]) { br; small { (n) } }
            }
        } } }
    }
}

fn progress(p: &ProjectData, lang: Lang) -> Markup {
    let budget = p.context["project"]["budget_tnd"].as_f64();
    let mut points: Vec<chart::Point> = p.context["progress"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|r| chart::Point {
                    date: s(&r["report_date"]).unwrap_or_default(),
                    physical: r["physical_pct"].as_f64(),
                    financial: match (r["paid_tnd"].as_f64(), budget) {
                        (Some(paid), Some(b)) if b > 0.0 => Some(paid / b * 100.0),
                        _ => None,
                    },
                })
                .collect()
        })
        .unwrap_or_default();
    points.reverse(); // the context lists the latest first
    let labels = (
        lang.t("التقدم المادي", "Avancement physique"),
        lang.t(
            "التقدم المالي (المدفوع/الميزانية)",
            "Avancement financier (payé / budget)",
        ),
        lang.t("التقدم عبر الزمن", "Avancement dans le temps"),
    );
    html! {
        h2 { (labels.2) }
        @if points.is_empty() { p.no-progress { (lang.t("لم يُبلَّغ عن أي تقدم بعد.", "Aucun avancement déclaré à ce jour.")) } }
        @else { (chart::progress(&points, labels)) }
    }
}

/// A code's name in the page's language.
fn coded(code: &str, lang: Lang) -> String {
    let (fr, ar) = codes::names(code);
    lang.t(ar, fr).to_owned()
}

fn funding(p: &ProjectData, lang: Lang) -> Markup {
    let lines = p.context["funding"].as_array().cloned().unwrap_or_default();
    html! {
        h2 { (lang.t("الميزانية والممولون", "Budget et financeurs")) }
        p { (lang.t("الميزانية: ", "Budget : ")) b { (dinars(p.context["project"]["budget_tnd"].as_f64(), lang)) } }
        @if !lines.is_empty() { table {
            tr { th { (lang.t("الممول", "Financeur")) } th { (lang.t("النوع", "Type")) } th { (lang.t("المبلغ", "Montant")) } }
            @for l in &lines { tr {
                td { (s(&l["funder"]).unwrap_or_else(|| "—".into())) }
                td { (s(&l["source_kind"]).map(|k| coded(&k, lang)).unwrap_or_default()) }
                td.ltr { (dinars(l["amount_tnd"].as_f64(), lang)) }
            } }
        } }
    }
}

fn locations(p: &ProjectData, lang: Lang) -> Markup {
    let locs = p.context["locations"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let c = &p.context["conformity"];
    html! {
        h2 { (lang.t("المواقع والمطابقة", "Localisations et conformité")) }
        @if let Some(v) = c["verdict"].as_str() {
            p { (lang.t("المطابقة مع مثال التهيئة: ", "Conformité au plan d'aménagement : "))
                span class={ "badge verdict-" (v) } { (verdict(v, lang)) } }
        }
        @let shapes: Vec<geo::Shape> = p.outlines.iter().map(|(code, g)| geo::Shape {
            geometry: g, class: "context", title: code.clone(), href: Some(format!("/units/municipality/{code}?lang={}", lang.code())),
        }).chain(std::iter::once(geo::Shape { geometry: &p.geometry, class: "project", title: title(p, lang), href: None })).collect();
        @match geo::map(&shapes, lang.t("خريطة المواقع", "Carte des localisations")) {
            Some(m) => (m),
            None => p { (lang.t("لا يوجد موقع منشور.", "Aucune localisation publiée.")) },
        }
        @if !locs.is_empty() { div.scroll { table {
            tr { th { (lang.t("المكان", "Lieu")) } th { (lang.t("الدقة", "Précision")) } th { (lang.t("المطابقة", "Conformité")) } th { (lang.t("الأسباب", "Motifs")) } }
            @for l in &locs {
                @let cf = &l["conformity"];
                tr {
                    td { (s(&l["place_name"]).unwrap_or_else(|| "—".into())) }
                    td { (s(&l["precision"]).unwrap_or_default()) }
                    td { (verdict(cf["verdict"].as_str().unwrap_or(""), lang)) }
                    td { (in_lang(cf, "summary", lang).or_else(|| s(&cf["reason"])).unwrap_or_default()) }
                }
            }
        } } }
    }
}

fn units(p: &ProjectData, lang: Lang) -> Markup {
    html! {
        h2 { (lang.t("الوحدات الترابية والحصص", "Unités territoriales et parts")) }
        div.scroll { table {
            tr { th { (lang.t("المستوى", "Niveau")) } th { (lang.t("الوحدة", "Unité")) } th { (lang.t("الحصة", "Part")) } th { (lang.t("الميزانية", "Budget")) } }
            @for level in ["governorate", "delegation", "municipality"] {
                @for u in p.context["units"][level].as_array().cloned().unwrap_or_default() {
                    tr.unit {
                        td { (level_name(level, lang)) }
                        td { @match s(&u["unit_code"]) {
                            Some(code) => a href={ "/units/" (level) "/" (code) "?lang=" (lang.code()) } {
                                (in_lang(&u, "name", lang).unwrap_or_else(|| code.clone())) },
                            None => i { (lang.t("خارج الوحدات أو دقة أضعف", "hors unité ou précision plus grossière")) },
                        } }
                        td.ltr { (share(u["share"].as_f64())) }
                        td.ltr { (dinars(u["budget_tnd"].as_f64(), lang)) }
                    }
                }
            }
        } }
    }
}

fn title(p: &ProjectData, lang: Lang) -> String {
    display_name(&p.props, lang).unwrap_or_default()
}

pub fn render(p: &ProjectData, lang: Lang, url: &str) -> Markup {
    let t = title(p, lang);
    let m = &p.context["monitoring"];
    let code = s(&p.props["code"]).unwrap_or_default();
    let body = html! {
        article.project {
            h1 { (t) }
            p.meta {
                span.badge.status { (in_lang(m, "status", lang).unwrap_or_default()) } " · "
                code { (code) }
                @if let Some(t) = s(&p.props["theme"]) { " · " (coded(&t, lang)) }
                @if let Some(o) = s(&p.props["owner"]) { " · " (o) }
            }
            @if let Some(d) = in_lang(&p.props, "description", lang) { p.description { (d) } }
            div.cards {
                div.card { (lang.t("التقدم المادي", "Avancement physique")) b.ltr { (m["physical_pct"].as_f64().map(|v| format!("{v} %")).unwrap_or_else(|| "—".into())) } }
                div.card { (lang.t("نسبة الإنجاز المالي", "Exécution financière")) b.ltr { (share(m["execution_rate"].as_f64())) } }
                div.card { (lang.t("البداية المبرمجة", "Début prévu")) b.ltr { (s(&m["planned_start"]).unwrap_or_else(|| "—".into())) } }
                div.card { (lang.t("النهاية المبرمجة", "Fin prévue")) b.ltr { (s(&m["planned_end"]).unwrap_or_else(|| "—".into())) } }
            }
            div.grid2 { div { (history(p, lang)) } div { (funding(p, lang)) } }
            (progress(p, lang))
            (locations(p, lang))
            (units(p, lang))
            p.noprint {
                a href={ "/api/projects/" (code) "/context" } type="application/json" { "JSON" } " · "
                a href={ "/map?lang=" (lang.code()) } { (lang.t("افتح الخريطة", "Ouvrir la carte")) }
            }
        }
    };
    layout(&t, lang, url, body)
}
