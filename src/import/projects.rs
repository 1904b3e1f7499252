//! Projects: one feature per location. Features sharing a `code` are one project.
//!
//! Project-level fields come from the first location that has them; fields the file does not map
//! keep their current value. The project's `attrs` are the unmapped fields whose value is the same
//! at all its locations. Funding lines are one per (project, kind, funder), deduplicated across
//! locations. Locations are upserted by (project, location id). Every project the import creates
//! or changes gets one `imported` event.
use std::collections::{HashMap, HashSet};

use serde_json::{json, Map, Value};
use sqlx::PgConnection;

use super::{
    project_checks::{check, check_funding, FUNDING_FIELDS},
    stage::{self, Row, Want},
    Batch, Ctx, ImportError, Summary, Written,
};

const PROJECT_FIELDS: &[&str] = &[
    "title_fr",
    "title_ar",
    "title_en",
    "description_fr",
    "description_ar",
    "description_en",
    "theme",
    "project_type",
    "owner",
    "partner",
    "status",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "budget_tnd",
    "beneficiaries",
    "is_public",
];

// size: the project import in transaction order (check, stage, group by code, upsert, events, count); to split by phase next
pub(super) async fn write(
    conn: &mut PgConnection,
    ctx: &Ctx<'_>,
    batch: Batch<'_>,
) -> Result<Written, ImportError> {
    let statuses: Vec<String> =
        sqlx::query_scalar("SELECT status FROM project_status ORDER BY rank")
            .fetch_all(&mut *conn)
            .await?;
    let mut rows: Vec<Row> = Vec::with_capacity(batch.candidates.len());
    let precision_mapped = ctx.mapped.contains(&"precision");
    let mut defaulted = 0usize;
    for mut c in batch.candidates {
        let no_precision = c.str("precision").is_none() && c.wkb.is_some();
        let Some(code) = c.key(
            "code",
            "missing code: every project needs its code (map it with --field code=FIELD)",
            &mut batch.summary.rejections,
        ) else {
            continue;
        };
        if let Err(reason) = check(&mut c, &statuses) {
            batch.summary.rejections.push(c.issue(Some(&code), reason));
            continue;
        }
        defaulted += usize::from(no_precision);
        // An incomplete funding line does not cost the location: the line is skipped and said so.
        if let Err(reason) = check_funding(&mut c) {
            for f in FUNDING_FIELDS {
                c.data.remove(*f);
            }
            let note = c.issue(Some(&code), format!("funding line skipped: {reason}"));
            batch.summary.notes.push(note.to_string());
        }
        let key = format!("{code} / {}", c.str("location_id").unwrap_or_default());
        rows.push(c.into_row(key));
    }
    let rows = super::dedupe(rows, "project location", &mut batch.summary.rejections);
    if defaulted > 0 {
        batch.summary.notes.push(if precision_mapped {
            format!("warning: {defaulted} locations have no precision value: they were imported as exact (give a default with --default precision=…)")
        } else {
            format!("warning: the file has no precision column: its {defaulted} locations were imported as exact (map one with --field precision=FIELD or give one with --default precision=approximate)")
        });
    }
    let checked = stage::load(conn, &rows, Want::Any, &ctx.bar).await?;
    let mut checked = checked;
    national_without_coordinates(conn, &rows, &mut checked, batch.summary).await?;
    batch.summary.repairs.extend(checked.repairs);
    batch.summary.rejections.extend(checked.rejections);
    ctx.bar.set_message("writing projects");

    // One project per code, from its accepted locations.
    let accepted: Vec<&Row> = checked.accepted.iter().map(|i| &rows[*i]).collect();
    let mut order: Vec<&str> = Vec::new();
    let mut by_code: HashMap<&str, Vec<&Row>> = HashMap::new();
    for r in &accepted {
        let code = r
            .data
            .get("code")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !by_code.contains_key(code) {
            order.push(code);
        }
        by_code.entry(code).or_default().push(r);
    }
    let mapped: Vec<&str> = PROJECT_FIELDS
        .iter()
        .copied()
        .filter(|f| ctx.mapped.contains(f))
        .collect();
    let mut codes = Vec::new();
    let mut datas = Vec::new();
    let mut attrs = Vec::new();
    let mut funding: Vec<[Option<String>; 6]> = Vec::new();
    for code in &order {
        let locs = &by_code[code];
        let mut d = Map::new();
        for f in &mapped {
            let v = locs.iter().find_map(|r| r.data.get(*f)).cloned();
            d.insert((*f).to_string(), v.unwrap_or(Value::Null));
        }
        codes.push(code.to_string());
        datas.push(Value::Object(d));
        attrs.push(Value::Object(common_attrs(locs)));
        let mut seen = HashSet::new();
        for r in locs {
            let s = |f: &str| r.data.get(f).and_then(Value::as_str).map(str::to_string);
            let Some(kind) = s("funding_kind") else {
                continue;
            };
            if seen.insert((kind.clone(), s("funder"))) {
                funding.push([
                    Some(code.to_string()),
                    Some(kind),
                    s("funder"),
                    s("funding_amount"),
                    s("funding_currency"),
                    s("funding_amount_tnd"),
                ]);
            }
        }
    }

    let before: Vec<(String, String)> =
        sqlx::query_as("SELECT code, status FROM project WHERE code = ANY($1)")
            .bind(&codes)
            .fetch_all(&mut *conn)
            .await?;
    let before: HashMap<String, String> = before.into_iter().collect();
    let upserted: Vec<(i64, String, bool, String)> =
        sqlx::query_as(include_str!("sql/projects_upsert.sql"))
            .bind(&codes)
            .bind(&datas)
            .bind(&attrs)
            .bind(&ctx.source)
            .fetch_all(&mut *conn)
            .await?;
    let locations: Vec<(i64, bool, String, String)> =
        sqlx::query_as(include_str!("sql/project_locations.sql"))
            .bind(&ctx.mapped)
            .fetch_all(&mut *conn)
            .await?;
    let col = |i: usize| -> Vec<Option<String>> { funding.iter().map(|f| f[i].clone()).collect() };
    let funded: Vec<i64> = sqlx::query_scalar(include_str!("sql/funding.sql"))
        .bind(col(0))
        .bind(col(1))
        .bind(col(2))
        .bind(col(3))
        .bind(col(4))
        .bind(col(5))
        .fetch_all(&mut *conn)
        .await?;

    // Which projects changed, and how.
    let mut changes: Changes = HashMap::new();
    for (id, code, inserted, status) in &upserted {
        let e =
            changes
                .entry(*id)
                .or_insert((code.clone(), vec![], *inserted, Some(status.clone())));
        e.1.push(if *inserted { "created" } else { "project" });
    }
    for (id, _, code, _) in &locations {
        let e = changes
            .entry(*id)
            .or_insert((code.clone(), vec![], false, None));
        if !e.1.contains(&"locations") {
            e.1.push("locations");
        }
    }
    let funded: HashSet<i64> = funded.into_iter().collect();
    let missing_code: Vec<i64> = funded
        .iter()
        .filter(|id| !changes.contains_key(id))
        .copied()
        .collect();
    let codes_of: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, code FROM project WHERE id = ANY($1)")
            .bind(&missing_code)
            .fetch_all(&mut *conn)
            .await?;
    for (id, code) in codes_of {
        changes.insert(id, (code, vec![], false, None));
    }
    for id in &funded {
        if let Some(e) = changes.get_mut(id) {
            e.1.push("funding");
        }
    }
    record_events(conn, ctx, &changes, &before).await?;

    // Per-location counts: a location is new, or changed (itself or its project), or unchanged.
    let new_locations: HashSet<(&str, &str)> = locations
        .iter()
        .filter(|l| l.1)
        .map(|l| (l.2.as_str(), l.3.as_str()))
        .collect();
    let changed_codes: HashSet<&str> = changes.values().map(|c| c.0.as_str()).collect();
    let (mut inserted, mut updated) = (0, 0);
    for r in &accepted {
        let s = |f: &str| r.data.get(f).and_then(Value::as_str).unwrap_or_default();
        if new_locations.contains(&(s("code"), s("location_id"))) {
            inserted += 1;
        } else if changed_codes.contains(s("code")) {
            updated += 1;
        }
    }
    Ok(Written {
        accepted: accepted.len(),
        inserted,
        updated,
    })
}

/// Rows without coordinates whose precision is national (given, or because they have none) are the
/// country as a whole: they get the country's stand-in point (the centre of the governorates'
/// extent, as the World Bank places its country-level rows), flagged national so that nothing
/// attributes them to the municipality under that point.
async fn national_without_coordinates(
    conn: &mut PgConnection,
    rows: &[Row],
    checked: &mut stage::Checked,
    summary: &mut Summary,
) -> Result<(), ImportError> {
    let national: Vec<i32> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            r.wkb.is_none() && r.data.get("precision").and_then(Value::as_str) == Some("national")
        })
        .map(|(i, _)| i as i32)
        .collect();
    if national.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "UPDATE mk_stage SET reject = NULL, geom = coalesce(            (SELECT ST_Centroid(ST_SetSRID(ST_Extent(geom)::geometry, 4326)) FROM admin_unit             WHERE level = 'governorate' AND valid_to IS NULL),            ST_SetSRID(ST_MakePoint(9.55, 33.85), 4326))          WHERE ord = ANY($1) AND reject = 'no geometry'",
    )
    .bind(&national)
    .execute(&mut *conn)
    .await?;
    let keys: std::collections::HashSet<&str> = national
        .iter()
        .map(|&i| rows[i as usize].key.as_str())
        .collect();
    checked.rejections.retain(|i| {
        !(i.reason == "no geometry" && i.id.as_deref().is_some_and(|k| keys.contains(k)))
    });
    let mut accepted: Vec<usize> = checked.accepted.clone();
    accepted.extend(national.iter().map(|&i| i as usize));
    accepted.sort_unstable();
    accepted.dedup();
    checked.accepted = accepted;
    summary.notes.push(format!(
        "{} locations without coordinates were imported as national locations (the country as a whole, attributed to no municipality)",
        national.len()
    ));
    Ok(())
}

/// The unmapped fields whose value is the same at every location of a project.
fn common_attrs(locs: &[&Row]) -> Map<String, Value> {
    let mut out = locs.first().map(|r| r.attrs.clone()).unwrap_or_default();
    out.retain(|k, v| locs.iter().all(|r| r.attrs.get(k) == Some(v)));
    out
}

/// Per changed project id: (code, what changed, inserted, status when the row was written).
type Changes = HashMap<i64, (String, Vec<&'static str>, bool, Option<String>)>;

async fn record_events(
    conn: &mut PgConnection,
    ctx: &Ctx<'_>,
    changes: &Changes,
    before: &HashMap<String, String>,
) -> Result<(), ImportError> {
    let mut ids: Vec<i64> = changes.keys().copied().collect();
    ids.sort_unstable();
    if ids.is_empty() {
        return Ok(());
    }
    // Projects changed only through their locations or funding: bump revision/updated_at too.
    let touched: Vec<i64> = ids
        .iter()
        .copied()
        .filter(|id| changes[id].3.is_none())
        .collect();
    let now_status: Vec<(i64, String)> = sqlx::query_as(
        "UPDATE project SET updated_at = now(), revision = revision + 1 WHERE id = ANY($1) RETURNING id, status",
    )
    .bind(&touched)
    .fetch_all(&mut *conn)
    .await?;
    let now_status: HashMap<i64, String> = now_status.into_iter().collect();
    let (mut codes, mut from, mut to, mut data) = (vec![], vec![], vec![], vec![]);
    for id in &ids {
        let (code, what, inserted, status) = &changes[id];
        let old = before.get(code).cloned();
        let new = status.clone().or_else(|| now_status.get(id).cloned());
        let status_changed = *inserted || old != new;
        codes.push(code.clone());
        from.push(if status_changed { old } else { None });
        to.push(if status_changed { new } else { None });
        data.push(json!({"file": ctx.args.path.display().to_string(), "source": ctx.source, "changed": what}));
    }
    sqlx::query(include_str!("sql/project_events.sql"))
        .bind(&ids)
        .bind(&codes)
        .bind(&from)
        .bind(&to)
        .bind(&data)
        .bind(format!("imported from {}", ctx.source))
        .bind(ids.iter().map(|id| changes[id].2).collect::<Vec<bool>>())
        .execute(&mut *conn)
        .await?;
    // new projects existed, and were where their locations are, since their approval (docs/dates.md)
    let new: Vec<i64> = ids.iter().copied().filter(|id| changes[id].2).collect();
    sqlx::query("SELECT mk_project_backdate($1)")
        .bind(&new)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
