//! Administrative units (governorates, delegations, sectors, municipalities) and their population.
//!
//! Versioned: a unit whose boundary changed gets its current row closed (`valid_to = now()`) and a
//! new row with `version + 1`; the same boundary with changed names/attributes is updated in place;
//! identical rows are left alone. Units of the level that are not in the file are left as they are.
use std::collections::HashSet;

use sqlx::PgConnection;

use super::{
    dedupe,
    stage::{self, Want},
    Candidate, Ctx, ImportError, Summary, Written,
};

pub(super) async fn write(
    conn: &mut PgConnection,
    ctx: &Ctx<'_>,
    candidates: Vec<Candidate>,
    summary: &mut Summary,
) -> Result<Written, ImportError> {
    let level = ctx.args.target.level().unwrap_or("municipality");
    let mut rows = Vec::with_capacity(candidates.len());
    for c in candidates {
        let Some(code) = c.str("code").map(str::to_string) else {
            summary.rejections.push(c.issue(
                None,
                "missing code: every unit needs its official code (map the file's field with --field code=FIELD)",
            ));
            continue;
        };
        if let Some(reason) = population_problem(&c) {
            summary.rejections.push(c.issue(Some(&code), reason));
            continue;
        }
        rows.push(c.into_row(code));
    }
    let rows = dedupe(rows, "code", &mut summary.rejections);
    let checked = stage::load(conn, &rows, Want::Polygon, &ctx.bar).await?;
    summary.repairs.extend(checked.repairs);
    summary.rejections.extend(checked.rejections);
    ctx.bar.set_message("writing units");

    // real-world validity (docs/dates.md): per-feature dates, else --valid-from/--valid-to, else now
    let valid_from = ctx.args.valid_from.and_then(crate::asof::day_start);
    let valid_to = ctx.args.valid_to.and_then(crate::asof::day_start);
    let closed: Vec<String> = sqlx::query_scalar(include_str!("sql/units_close.sql"))
        .bind(level)
        .bind(valid_from)
        .fetch_all(&mut *conn)
        .await?;
    let in_place: Vec<String> = sqlx::query_scalar(include_str!("sql/units_update.sql"))
        .bind(level)
        .bind(&ctx.source)
        .bind(valid_from)
        .bind(valid_to)
        .fetch_all(&mut *conn)
        .await?;
    let inserted: Vec<(String, i32)> = sqlx::query_as(include_str!("sql/units_insert.sql"))
        .bind(level)
        .bind(&ctx.source)
        .bind(valid_from)
        .bind(valid_to)
        .fetch_all(&mut *conn)
        .await?;
    let population: Vec<String> = sqlx::query_scalar(include_str!("sql/population.sql"))
        .bind(level)
        .bind(&ctx.source)
        .fetch_all(&mut *conn)
        .await?;

    let new: HashSet<&str> = inserted
        .iter()
        .filter(|(_, v)| *v == 1)
        .map(|(c, _)| c.as_str())
        .collect();
    let changed: HashSet<&str> = closed
        .iter()
        .chain(&in_place)
        .chain(&population)
        .map(String::as_str)
        .filter(|c| !new.contains(c))
        .collect();
    if !closed.is_empty() {
        summary.notes.push(format!(
            "{} {level} boundaries changed: their previous version was closed (valid_to set) and kept",
            closed.len()
        ));
    }
    let total: i64 =
        sqlx::query_scalar("SELECT count(*) FROM admin_unit WHERE level = $1 AND valid_to IS NULL")
            .bind(level)
            .fetch_one(&mut *conn)
            .await?;
    let missing = total as usize - (checked.accepted.len().min(total as usize));
    if missing > 0 {
        summary.notes.push(format!(
            "{missing} current {level} units are not in this file; they were left as they are"
        ));
    }
    Ok(Written {
        accepted: checked.accepted.len(),
        inserted: new.len(),
        updated: changed.len(),
    })
}

fn population_problem(c: &Candidate) -> Option<String> {
    let pop = c.data.get("population").and_then(|v| v.as_i64());
    let year = c.data.get("population_year").and_then(|v| v.as_i64());
    match (pop, year) {
        (Some(p), _) if p < 0 => Some(format!("population {p} is negative")),
        (Some(_), None) => Some(
            "population given without population_year (map it with --field population_year=FIELD or give it with --default population_year=YYYY)".into(),
        ),
        (_, Some(y)) if !(1800..=2200).contains(&y) => {
            Some(format!("population_year {y} is not a plausible year"))
        }
        _ => None,
    }
}
