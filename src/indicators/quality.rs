//! `GET /api/data-quality[?municipality=CODE][&f=csv|html]`: per municipality, the projects with
//! warnings (funding ≠ budget, stalled or blocked, no location precision, back-dated corrections),
//! listed within the caller's scope (visibility rule of docs/visibility.md). SQL: `sql/quality.sql`.
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::error::AppResult;
use crate::{auth::Visibility, landuse::csv};

pub const CSV_COLUMNS: [&str; 15] = [
    "municipality",
    "municipality_fr",
    "municipality_ar",
    "code",
    "title_fr",
    "title_ar",
    "title_en",
    "status",
    "budget_tnd",
    "funding_tnd",
    "funding_mismatch",
    "stalled",
    "blocked_cause",
    "no_precision",
    "backdated_corrections",
];

/// One project with a warning, in the municipality it is assigned to (columns as `CSV_COLUMNS`).
#[derive(sqlx::FromRow)]
struct Row {
    municipality: String,
    municipality_fr: Option<String>,
    municipality_ar: Option<String>,
    code: String,
    title_fr: Option<String>,
    title_ar: Option<String>,
    title_en: Option<String>,
    status: String,
    budget_tnd: Option<String>,
    funding_tnd: Option<String>,
    funding_mismatch: bool,
    stalled: bool,
    blocked_cause: Option<String>,
    no_precision: bool,
    backdated_corrections: i32,
}

async fn rows(pool: &PgPool, municipality: Option<&str>, vis: &Visibility) -> AppResult<Vec<Row>> {
    Ok(sqlx::query_as(include_str!("sql/quality.sql"))
        .bind(municipality)
        .bind(vis.all)
        .bind(&vis.partner)
        .bind(&vis.municipalities)
        .fetch_all(pool)
        .await?)
}

fn warnings(r: &Row) -> Vec<&'static str> {
    let mut w = vec![];
    if r.funding_mismatch {
        w.push("funding_mismatch");
    }
    if r.stalled {
        w.push("stalled");
    }
    if r.no_precision {
        w.push("no_precision");
    }
    if r.backdated_corrections > 0 {
        w.push("backdated_correction");
    }
    w
}

pub async fn json(pool: &PgPool, municipality: Option<&str>, vis: &Visibility) -> AppResult<Value> {
    let mut out: Vec<Value> = vec![];
    for r in rows(pool, municipality, vis).await? {
        let project = json!({
            "code": r.code, "title_fr": r.title_fr, "title_ar": r.title_ar,
            "title_en": r.title_en, "status": r.status, "budget_tnd": r.budget_tnd,
            "funding_tnd": r.funding_tnd, "warnings": warnings(&r),
            "blocked_cause": r.blocked_cause, "backdated_corrections": r.backdated_corrections,
        });
        match out.last_mut() {
            Some(m) if m["municipality"] == r.municipality.as_str() => {
                if let Some(a) = m["projects"].as_array_mut() {
                    a.push(project);
                }
            }
            _ => out.push(
                json!({"municipality": r.municipality, "name_fr": r.municipality_fr,
                "name_ar": r.municipality_ar, "projects": [project]}),
            ),
        }
    }
    Ok(json!({
        "municipality": municipality,
        "municipalities": out,
        "definitions": {
            "funding_mismatch": "The funding lines do not add up to the budget (or there is none).",
            "stalled": "Blocked per monitoring: suspended, a report says blocked, or works without physical progress between two reports 180 days or more apart.",
            "no_precision": "No location, or a location known only at governorate or national level.",
            "backdated_correction": "A correction event dated before an event recorded earlier (none until corrections exist).",
            "municipality": "Municipalities the project's locations are assigned to now; '~none' for projects assigned to none.",
        }
    }))
}

pub async fn csv_text(
    pool: &PgPool,
    municipality: Option<&str>,
    vis: &Visibility,
) -> AppResult<String> {
    let mut out = csv::line(&CSV_COLUMNS);
    for r in rows(pool, municipality, vis).await? {
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        out.push_str(&csv::line(&[
            r.municipality.clone(),
            o(&r.municipality_fr),
            o(&r.municipality_ar),
            r.code.clone(),
            o(&r.title_fr),
            o(&r.title_ar),
            o(&r.title_en),
            r.status.clone(),
            o(&r.budget_tnd),
            o(&r.funding_tnd),
            r.funding_mismatch.to_string(),
            r.stalled.to_string(),
            o(&r.blocked_cause),
            r.no_precision.to_string(),
            r.backdated_corrections.to_string(),
        ]));
    }
    Ok(out)
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A plain bilingual table, no external asset.
/// A warning code in words, French and Arabic (the code itself stays in JSON and CSV).
fn warning_label(code: &str) -> String {
    let (fr, ar) = match code {
        "funding_mismatch" => ("Financement ≠ budget", "التمويل لا يساوي الميزانية"),
        "stalled" => ("Projet à l'arrêt", "مشروع متوقف"),
        "no_precision" => ("Localisation sans précision", "موقع دون دقة"),
        "backdated_correction" => ("Correction antidatée", "تصحيح بتاريخ سابق"),
        other => return esc(other),
    };
    format!("{fr} — <span dir=\"rtl\" lang=\"ar\">{ar}</span>")
}

pub fn html(v: &Value) -> String {
    let mut rows = String::new();
    for m in v["municipalities"].as_array().into_iter().flatten() {
        for p in m["projects"].as_array().into_iter().flatten() {
            let s = |k: &str| esc(p[k].as_str().unwrap_or_default());
            let w: Vec<&str> = p["warnings"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            rows.push_str(&format!(
                "<tr><td>{} {}</td><td>{}</td><td>{}</td><td dir=\"rtl\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                esc(m["municipality"].as_str().unwrap_or_default()),
                esc(m["name_fr"].as_str().unwrap_or_default()),
                s("code"), if s("title_fr").is_empty() { s("title_en") } else { s("title_fr") }, s("title_ar"), s("budget_tnd"), s("funding_tnd"),
                w.iter().map(|c| warning_label(c)).collect::<Vec<_>>().join("<br>")
            ));
        }
    }
    format!(
        "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Qualité des données / جودة البيانات</title>\
         <style>body{{font-family:sans-serif}}table{{border-collapse:collapse}}td,th{{border:1px solid #999;padding:2px 6px}}</style></head>\
         <body><h1>Qualité des données — <span dir=\"rtl\">جودة البيانات</span></h1>\
         <table><tr><th>Municipalité / البلدية</th><th>Code</th><th>Titre</th><th>العنوان</th><th>Budget (TND)</th><th>Financement (TND)</th><th>Alertes / تنبيهات</th></tr>\n{rows}</table></body></html>"
    )
}
