//! The sections of the sheet, in reading order: key figures, investments (charts), facilities,
//! projects, notes (method, data caveats, attribution).
use maud::{html, Markup};
use serde_json::Value;

use super::parts::{breakdown, f, name, num, pct, s, whole};
use super::text::{t, Lang};
use crate::indicators::svg::{self, number, Bar};

/// The chart width (CSS px): two charts side by side in an A4 page's 182 mm.
const CHART_W: f64 = 330.0;

fn section(lang: Lang, key: &str, body: Markup) -> Markup {
    html! { section { h2 { (t(lang, key)) } (body) } }
}

/// "3 sur 24", "3 ex æquo avec 2 autre(s) unité(s), sur 24": a shared rank is said plainly.
fn rank(lang: Lang, d: &Value, u: &Value) -> String {
    let Some(r) = f(u, "rank_in_governorate") else {
        return "—".into();
    };
    let tied = d
        .get("peers")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter(|p| f(p, "rank_in_governorate") == Some(r) && s(p, "code") != s(u, "code"))
                .count()
        })
        .unwrap_or(0);
    let of = format!(
        "{} {}",
        t(lang, "rank_of"),
        whole(f(u, "units_in_governorate"))
    );
    if tied > 0 {
        format!(
            "{} {} {tied} {}, {of}",
            whole(Some(r)),
            t(lang, "tied"),
            t(lang, "others")
        )
    } else {
        format!("{} {of}", whole(Some(r)))
    }
}

pub(super) fn key_figures(lang: Lang, d: &Value) -> Markup {
    let u = d.get("unit").unwrap_or(&Value::Null);
    let national = s(d, "level") == "governorate";
    let per_inh = |v: Option<&Value>| whole(v.and_then(|v| f(v, "budget_per_inhabitant")));
    let year = u.get("population_year").and_then(Value::as_i64);
    let rows: Vec<(String, String)> = vec![
        (
            match year {
                Some(y) => format!("{} ({y})", t(lang, "population")),
                None => t(lang, "population").to_string(),
            },
            whole(f(u, "population")),
        ),
        (t(lang, "projects_n").into(), whole(f(u, "project_count"))),
        (t(lang, "budget").into(), whole(f(u, "budget_tnd"))),
        (t(lang, "per_inh").into(), per_inh(Some(u))),
        (t(lang, "per_inh_gov").into(), per_inh(d.get("governorate"))),
        (t(lang, "per_inh_nat").into(), per_inh(d.get("national"))),
        (
            t(lang, if national { "rank_national" } else { "rank" }).into(),
            rank(lang, d, u),
        ),
        (t(lang, "execution").into(), pct(f(u, "execution_rate"))),
        (t(lang, "delayed").into(), whole(f(u, "delayed_count"))),
        (t(lang, "blocked").into(), whole(f(u, "blocked_count"))),
    ];
    // a governorate is compared with the nation: no "governorate average" row
    let gov_row = t(lang, "per_inh_gov");
    let rows = rows
        .into_iter()
        .filter(|(l, _)| !(national && l == gov_row));
    html! {
        table class="figures" {
            @for (label, value) in rows { tr { th scope="row" { (label) } td class="n" { (value) } } }
        }
    }
}

fn chart(lang: Lang, key: &str, bars: &[Bar], empty: &str) -> Markup {
    html! {
        div class="chart-box" {
            h3 { (t(lang, key)) }
            (svg::bars(bars, CHART_W, t(lang, key), lang == Lang::Ar, t(lang, empty)))
        }
    }
}

pub(super) fn investments(lang: Lang, d: &Value) -> Markup {
    let u = d.get("unit").unwrap_or(&Value::Null);
    let peers: Vec<Bar> = d
        .get("peers")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|p| Bar {
                    label: lang.fr_ar(s(p, "name_fr"), s(p, "name_ar")).to_string(),
                    value: f(p, "budget_per_inhabitant").unwrap_or(0.0),
                    highlight: s(p, "code") == s(u, "code"),
                    shown: whole(f(p, "budget_per_inhabitant")),
                })
                .collect()
        })
        .unwrap_or_default();
    let peers = if peers.len() > 1 { peers } else { Vec::new() };
    let body = html! {
        div class="charts" {
            (chart(lang, "by_theme", &breakdown(lang, u.get("by_theme"), Some("budget_tnd")), "no_project"))
            (chart(lang, "by_status", &breakdown(lang, u.get("by_status"), Some("projects")), "no_project"))
            (chart(lang, "by_funding", &breakdown(lang, u.get("by_funding"), None), "no_funding"))
            (chart(lang, if s(d, "level") == "governorate" { "peers_national" } else { "peers" }, &peers, "no_peer"))
        }
    };
    section(lang, "investments", body)
}

pub(super) fn facilities(lang: Lang, d: &Value) -> Markup {
    let u = d.get("unit").unwrap_or(&Value::Null);
    let caveats = d
        .get("caveats")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let body = html! {
        table {
            thead { tr {
                th { (t(lang, "facility")) } th { (t(lang, "count")) }
                th { (t(lang, "per_10k")) } th { (t(lang, "nearest")) }
            } }
            tbody {
                @for kind in ["school", "health", "administration", "post", "police"] {
                    tr {
                        td { (name(lang, kind)) }
                        td class="n" { (whole(f(u, &format!("{kind}_count")))) }
                        td class="n" { (num(f(u, &format!("{kind}_per_10k")), 2)) }
                        td class="n" { (num(f(u, &format!("{kind}_nearest_km")), 1)) }
                    }
                }
            }
        }
        // the caveats of the layer these figures come from (indicators::caveats)
        @for c in &caveats { p class="caveat" { "⚠ " (s(c, lang.code())) } }
    };
    section(lang, "facilities", body)
}

// size: one table row per project with its flags, in the column order of the header
pub(super) fn projects(lang: Lang, d: &Value) -> Markup {
    let p = d.get("projects").unwrap_or(&Value::Null);
    let count = f(p, "count").unwrap_or(0.0);
    let items = p
        .get("items")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let conformity: Vec<String> = p
        .get("conformity")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{} : {v}", name(lang, k)))
                .collect()
        })
        .unwrap_or_default();
    let title = |p: &Value| {
        let (a, b) = lang.fr_ar(("title_fr", "title_ar"), ("title_ar", "title_fr"));
        [a, b, "title_en", "code"]
            .into_iter()
            .map(|k| s(p, k))
            .find(|v| !v.trim().is_empty())
            .unwrap_or("")
            .to_string()
    };
    let body = html! {
        @if items.is_empty() {
            p class="empty" { (t(lang, "no_project")) }
        } @else {
            p { (t(lang, "conformity")) " — " (conformity.join(" · ")) }
            @if count > 25.0 { p { (t(lang, "first_of")) " " (whole(Some(count))) "." } }
            table class="projects" {
                thead { tr {
                    th { (t(lang, "code")) } th { (t(lang, "project")) } th { (t(lang, "status")) }
                    th { (t(lang, "share")) } th { (t(lang, "budget")) } th { (t(lang, "progress")) }
                    th { (t(lang, "zoning")) } th { (t(lang, "monitoring")) }
                } }
                tbody {
                    @for p in items.iter().take(25) {
                        tr {
                            td class="code" { (s(p, "code")) }
                            td { (title(p)) }
                            td { (lang.fr_ar(s(p, "status_fr"), s(p, "status_ar"))) }
                            td class="n" { (pct(f(p, "share"))) }
                            td class="n" { (whole(f(p, "budget_tnd"))) }
                            td class="n" { (f(p, "physical_pct").map(|x| format!("{} %", number(x, 0))).unwrap_or_else(|| "—".into())) }
                            td { (name(lang, p.get("verdict").and_then(Value::as_str).unwrap_or("not_assessed"))) }
                            td {
                                @if p.get("delayed").and_then(Value::as_bool) == Some(true) { (t(lang, "late")) br; }
                                @if p.get("blocked").and_then(Value::as_bool) == Some(true) {
                                    (t(lang, "stuck")) @if !s(p, "blocked_cause").is_empty() { " : " (s(p, "blocked_cause")) }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    section(lang, "projects", body)
}

pub(super) fn notes(lang: Lang, d: &Value) -> Markup {
    let u = d.get("unit").unwrap_or(&Value::Null);
    let body = html! {
        p { (t(lang, "method")) }
        @if !s(u, "population_source").is_empty() {
            p { (t(lang, "pop_source")) " " (s(u, "population_source")) }
        }
        p class="attribution" { (t(lang, "attribution")) }
    };
    section(lang, "notes", body)
}
