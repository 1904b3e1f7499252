//! The printable bilingual (French / Arabic) diagnosis sheet, rendered from the diagnosis JSON.
//! Self-contained: inline CSS and SVG, no script, no external asset.
use serde_json::Value;

mod parts;

use parts::{ar, breakdown, f, names, num, pct, row, s, section};

use super::svg::{self, number, Bar, Dot};
use crate::html::{esc, page};

fn map_svg(d: &Value, label: &str) -> String {
    let Some(m) = d.get("map").filter(|m| !m.is_null()) else {
        return String::new();
    };
    let vb: Vec<f64> = m
        .get("view_box")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default();
    if vb.len() != 4 {
        return String::new();
    }
    let settlement = m
        .get("settlement")
        .and_then(Value::as_array)
        .and_then(|a| Some((a.first()?.as_f64()?, a.get(1)?.as_f64()?)));
    let dots: Vec<Dot> = m
        .get("projects")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|p| {
                    let p = p.as_array()?;
                    let class = match p.get(3).and_then(Value::as_str) {
                        Some("forbidden") => "forbidden",
                        Some("conditional") => "conditional",
                        Some("allowed") => "allowed",
                        _ => "unknown",
                    };
                    Some(Dot {
                        x: p.first()?.as_f64()?,
                        y: p.get(1)?.as_f64()?,
                        class,
                        title: p.get(2).and_then(Value::as_str).unwrap_or("").to_string(),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    svg::map(
        [vb[0], vb[1], vb[2], vb[3]],
        s(m, "path"),
        settlement,
        &dots,
        label,
    )
}

const STYLE: &str = "<style>\
h1{margin-bottom:.2rem}h2{font-size:1.1rem;border-bottom:2px solid #234;margin-top:1.5rem}.ar,[lang=ar]{font-family:'Noto Sans Arabic','Noto Naskh Arabic',sans-serif}\
th.ar{text-align:right}.n{text-align:right;font-variant-numeric:tabular-nums}.grid{display:flex;gap:1.5rem;flex-wrap:wrap;align-items:flex-start}\
svg.map{width:18rem;height:18rem;border:1px solid #ccc}svg.map .allowed{fill:#2e8b57}svg.map .conditional{fill:#e69b00}svg.map .forbidden{fill:#c0392b}svg.map .unknown{fill:#777}\
.sep{color:#999}.meta{color:#555}table{font-size:.9rem}.charts{display:grid;grid-template-columns:1fr 1fr;gap:1rem}\
@media print{body{max-width:none;margin:0}a{color:inherit;text-decoration:none}section{break-inside:avoid}}</style>";

/// The whole sheet.
// size: the sheet's HTML in reading order, one section after another; the pieces are in parts.rs
pub fn render(d: &Value) -> String {
    let u = d.get("unit").cloned().unwrap_or(Value::Null);
    let nat = d.get("national").cloned().unwrap_or(Value::Null);
    let gov = d.get("governorate").cloned().unwrap_or(Value::Null);
    let level = s(d, "level");
    let (lfr, lar) = names(level);
    let title_fr = format!("{} {}", lfr, s(&u, "name_fr"));
    let when = d
        .get("as_of")
        .and_then(Value::as_str)
        .map(|t| format!("au / في {}", &t[..t.len().min(10)]))
        .unwrap_or_else(|| {
            format!(
                "état au / الوضع في {}",
                &s(d, "generated_at")[..s(d, "generated_at").len().min(10)]
            )
        });
    let mut body = String::from(STYLE);
    body.push_str(&format!(
        "<header><h1>Fiche de diagnostic <span class=\"sep\">·</span> {}</h1>\
         <p><strong>{}</strong> <span class=\"sep\">·</span> {} <span class=\"meta\">({} {}, code {})</span></p>\
         <p class=\"meta\">{}</p></header>",
        ar("بطاقة تشخيص"),
        esc(&title_fr),
        ar(&format!("{} {}", lar, s(&u, "name_ar"))),
        esc(s(&u, "name_en")),
        esc(level),
        esc(s(&u, "code")),
        esc(&when)
    ));
    let per_inh = |v: &Value| num(f(v, "budget_per_inhabitant"), 3);
    let mut figures = String::from("<table>");
    figures.push_str(&row(
        &format!(
            "Population ({})",
            u.get("population_year")
                .and_then(Value::as_i64)
                .map(|y| y.to_string())
                .unwrap_or_default()
        ),
        &num(f(&u, "population"), 0),
        "السكان",
    ));
    figures.push_str(&row("Projets", &num(f(&u, "project_count"), 0), "المشاريع"));
    figures.push_str(&row(
        "Budget réparti (TND)",
        &num(f(&u, "budget_tnd"), 3),
        "الميزانية الموزعة (د.ت)",
    ));
    figures.push_str(&row(
        "Budget par habitant (TND)",
        &per_inh(&u),
        "الميزانية للفرد (د.ت)",
    ));
    figures.push_str(&row("— gouvernorat", &per_inh(&gov), "— الولاية"));
    figures.push_str(&row("— national", &per_inh(&nat), "— وطنيا"));
    figures.push_str(&row(
        "Rang dans le gouvernorat",
        &format!(
            "{} / {}",
            num(f(&u, "rank_in_governorate"), 0),
            num(f(&u, "units_in_governorate"), 0)
        ),
        "الترتيب في الولاية",
    ));
    figures.push_str(&row(
        "Taux d'exécution financière",
        &pct(f(&u, "execution_rate")),
        "نسبة الإنجاز المالي",
    ));
    figures.push_str(&row(
        "Projets en retard",
        &num(f(&u, "delayed_count"), 0),
        "مشاريع متأخرة",
    ));
    figures.push_str(&row(
        "Projets bloqués",
        &num(f(&u, "blocked_count"), 0),
        "مشاريع معطلة",
    ));
    figures.push_str("</table>");
    body.push_str(&format!(
        "<div class=\"grid\">{}<div>{figures}</div></div>",
        map_svg(d, &title_fr)
    ));

    let peers: Vec<Bar> = d
        .get("peers")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|p| Bar {
                    label: s(p, "name_fr").to_string(),
                    value: f(p, "budget_per_inhabitant").unwrap_or(0.0),
                    highlight: s(p, "code") == s(&u, "code"),
                    shown: num(f(p, "budget_per_inhabitant"), 1),
                })
                .collect()
        })
        .unwrap_or_default();
    let charts = format!(
        "<div class=\"charts\"><div><h3>Budget par thème (TND) · {}</h3>{}</div>\
         <div><h3>Projets par statut · {}</h3>{}</div>\
         <div><h3>Financement par source (TND) · {}</h3>{}</div>\
         <div><h3>Budget par habitant dans le gouvernorat · {}</h3>{}</div></div>",
        ar("الميزانية حسب القطاع"),
        svg::bars(
            &breakdown(u.get("by_theme"), Some("budget_tnd"), 0),
            440,
            "budget by theme"
        ),
        ar("المشاريع حسب الوضعية"),
        svg::bars(
            &breakdown(u.get("by_status"), Some("projects"), 0),
            440,
            "projects by status"
        ),
        ar("التمويل حسب المصدر"),
        svg::bars(
            &breakdown(u.get("by_funding"), None, 0),
            440,
            "funding by source"
        ),
        ar("الميزانية للفرد في الولاية"),
        svg::bars(
            &peers,
            440,
            "budget per inhabitant of the units of the governorate"
        ),
    );
    body.push_str(&section("Investissements", "الاستثمارات", &charts));

    let mut fac = String::from(
        "<table><tr><th>Équipement · المرفق</th><th>Nombre · العدد</th><th>pour 10 000 hab. · لكل 10000 ساكن</th>\
         <th>Le plus proche (km) · الأقرب (كم)</th></tr>",
    );
    for kind in ["school", "health", "administration", "post", "police"] {
        let (kfr, kar) = names(kind);
        fac.push_str(&format!(
            "<tr><td>{} · {}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(kfr),
            ar(kar),
            num(f(&u, &format!("{kind}_count")), 0),
            num(f(&u, &format!("{kind}_per_10k")), 2),
            num(f(&u, &format!("{kind}_nearest_km")), 2)
        ));
    }
    fac.push_str("</table>");
    // caveats of the layer these figures come from (indicators::caveats), in both languages
    for c in d
        .get("caveats")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        fac.push_str(&format!(
            "<p class=\"caveat\">⚠ {}</p><p class=\"caveat\">{}</p>",
            esc(s(c, "fr")),
            ar(s(c, "ar"))
        ));
    }
    body.push_str(&section("Équipements", "المرافق", &fac));

    let projects = d.get("projects").cloned().unwrap_or(Value::Null);
    let mut list = format!(
        "<p>{} projets · {} — conformité · المطابقة : {}</p><table><tr><th>Code</th><th>Projet · المشروع</th>\
         <th>Statut · الوضعية</th><th>Part · الحصة</th><th>Budget réparti (TND)</th><th>Avancement · التقدم</th>\
         <th>Zonage · التهيئة</th><th>Suivi · المتابعة</th></tr>",
        num(f(&projects, "count"), 0),
        ar("مشروع"),
        projects.get("conformity").and_then(Value::as_object).map(|m| m.iter()
            .map(|(k, v)| { let (a, b) = names(k); format!("{} / {} {}", esc(a), ar(b), v) })
            .collect::<Vec<_>>().join(", ")).unwrap_or_default()
    );
    for p in projects
        .get("items")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .take(25)
    {
        let (vfr, var) = names(s(p, "verdict"));
        let mut flags = Vec::new();
        if p.get("delayed").and_then(Value::as_bool) == Some(true) {
            flags.push(format!("en retard / {}", ar("متأخر")));
        }
        if p.get("blocked").and_then(Value::as_bool) == Some(true) {
            flags.push(format!(
                "bloqué / {}: {}",
                ar("معطل"),
                esc(s(p, "blocked_cause"))
            ));
        }
        list.push_str(&format!(
            "<tr><td>{}</td><td>{}<br>{}</td><td>{} · {}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td>{} · {}</td><td>{}</td></tr>",
            esc(s(p, "code")),
            esc(if s(p, "title_fr").is_empty() { s(p, "title_en") } else { s(p, "title_fr") }),
            ar(s(p, "title_ar")),
            esc(s(p, "status_fr")),
            ar(s(p, "status_ar")),
            pct(f(p, "share")),
            num(f(p, "budget_tnd"), 3),
            f(p, "physical_pct").map(|x| format!("{} %", number(x, 0))).unwrap_or_else(|| "—".into()),
            esc(vfr),
            ar(var),
            flags.join("; ")
        ));
    }
    list.push_str("</table>");
    body.push_str(&section("Projets", "المشاريع", &list));
    body.push_str(&format!(
        "<footer class=\"meta\"><p>Population : {}. Budgets répartis par part de localisation (longueur, surface), \
         arrondis au millime (plus forts restes). Distances depuis le chef-lieu (mairie la plus proche du centre de l'unité, \
         sinon son point intérieur).</p><p>{}</p></footer>",
        esc(s(&u, "population_source")),
        ar("الميزانيات موزعة حسب حصة الموقع (الطول، المساحة) ومدورة إلى المليم. المسافات محسوبة من مقر الوحدة.")
    ));
    page(&format!("Diagnostic — {title_fr}"), &body)
}

#[cfg(test)]
mod tests;
