//! `GET /api/indicators/breakdown?level=&by=theme|status|funding[&governorate=][&as_of=][&f=csv]`:
//! per line (units, unallocated, national) the figures split by theme, status or funding source.
//! Themes and statuses sum to the line's `project_count` and `budget_tnd`; cancelled projects are
//! listed apart (`excluded`), outside the totals; funding sources sum to the funding apportioned
//! (which need not equal the budget: see `/api/data-quality`).
use super::Figures;

use serde_json::{json, Map, Value};
use sqlx::PgPool;

use crate::error::{AppError, AppResult};
use crate::{landuse::csv, projects::planning_tx};

pub const CSV_COLUMNS: [&str; 12] = [
    "kind",
    "level",
    "code",
    "name_fr",
    "name_ar",
    "by",
    "key",
    "key_fr",
    "key_ar",
    "projects",
    "amount_tnd",
    "counted",
];

type Row = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    i32,
    rust_decimal::Decimal,
    Option<String>,
    Option<i32>,
    Option<rust_decimal::Decimal>,
    bool,
    Option<String>,
    Option<String>,
);

/// `by=`: theme, status or funding.
pub fn by(raw: Option<&str>) -> AppResult<&'static str> {
    match raw.map(str::trim).unwrap_or_default() {
        "theme" => Ok("theme"),
        "status" => Ok("status"),
        "funding" => Ok("funding"),
        other => Err(AppError::BadRequest(format!(
            "'by={other}' is not a breakdown: give by=theme, by=status or by=funding"
        ))),
    }
}

async fn rows(pool: &PgPool, f: &Figures<'_>, by: &str) -> AppResult<Vec<Row>> {
    Ok(sqlx::query_as(include_str!("sql/breakdown.sql"))
        .bind(f.level)
        .bind(f.t)
        .bind(f.gov)
        .bind(by)
        .fetch_all(&mut *planning_tx(pool).await?)
        .await?)
}

pub async fn json(pool: &PgPool, f: &Figures<'_>, by: &str) -> AppResult<Value> {
    let mut lines: Vec<Value> = vec![];
    let mut current: Option<(String, Map<String, Value>)> = None;
    for (kind, lv, code, name_fr, name_ar, n, budget, key, projects, amount, counted, kfr, kar) in
        rows(pool, f, by).await?
    {
        let id = format!("{kind}|{code}");
        if current.as_ref().map(|c| &c.0) != Some(&id) {
            if let Some((_, o)) = current.take() {
                lines.push(Value::Object(o));
            }
            let mut o = Map::new();
            o.insert("kind".into(), json!(kind));
            o.insert("level".into(), json!(lv));
            o.insert("code".into(), json!(code));
            o.insert("name_fr".into(), json!(name_fr));
            o.insert("name_ar".into(), json!(name_ar));
            o.insert(
                "total".into(),
                json!({"projects": n, "budget_tnd": budget.to_string()}),
            );
            o.insert("breakdown".into(), json!([]));
            o.insert("excluded".into(), json!([]));
            current = Some((id, o));
        }
        let Some(key) = key else { continue };
        let item = json!({"key": key, "name_fr": kfr, "name_ar": kar, "projects": projects,
                          "amount_tnd": amount.map(|a| a.to_string())});
        if let Some((_, o)) = current.as_mut() {
            let list = if counted { "breakdown" } else { "excluded" };
            if let Some(Value::Array(a)) = o.get_mut(list) {
                a.push(item);
            }
        }
    }
    if let Some((_, o)) = current.take() {
        lines.push(Value::Object(o));
    }
    Ok(json!({
        "level": f.level, "by": by, "as_of": f.t, "governorate": f.gov, "lines": lines,
        "definitions": {
            "total": "The line's figures as in /api/indicators: public projects other than cancelled ones.",
            "breakdown": match by {
                "funding" => "Funding lines apportioned like the budget, by source kind (TND). They sum to the funding, which may differ from the budget.",
                _ => "Projects and apportioned budget per key; they sum to the total.",
            },
            "excluded": "Cancelled projects: counted apart, in no other figure.",
        }
    }))
}

pub async fn csv_text(pool: &PgPool, f: &Figures<'_>, by: &str) -> AppResult<String> {
    let mut out = csv::line(&CSV_COLUMNS);
    for (kind, lv, code, name_fr, name_ar, _, _, key, projects, amount, counted, kfr, kar) in
        rows(pool, f, by).await?
    {
        let Some(key) = key else { continue };
        out.push_str(&csv::line(&[
            kind,
            lv,
            code,
            name_fr.unwrap_or_default(),
            name_ar.unwrap_or_default(),
            by.to_string(),
            key,
            kfr.unwrap_or_default(),
            kar.unwrap_or_default(),
            projects.map(|p| p.to_string()).unwrap_or_default(),
            amount.map(|a| a.to_string()).unwrap_or_default(),
            counted.to_string(),
        ]));
    }
    Ok(out)
}
