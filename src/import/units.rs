//! Administrative units (governorates, delegations, sectors, municipalities) and their population.
//!
//! Versioned: a unit whose boundary changed gets its current row closed (`valid_to = now()`) and a
//! new row with `version + 1`; the same boundary with changed names/attributes is updated in place;
//! identical rows are left alone. Units of the level that are not in the file are left as they are.
//! Fields the file does not map keep their values. Several features with the same code are the
//! parts of one unit: their union is written. The summary reports overlaps between units of the
//! level and the area each changed unit lost or gained; a file whose codes mostly do not match
//! the level's stops unless `--new-codes` is given.
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::{
    stage::{self, Row, Want},
    Batch, Candidate, Ctx, ImportError, Summary, Written,
};

/// Below this share of the file's codes found among the level's current codes, the import stops
/// and asks for `--new-codes`.
const MIN_MATCH: f64 = 0.5;
/// The code check applies to files of at least this many units.
const MIN_CODES: usize = 5;
/// Overlaps smaller than this (km², 1,000 m²) are counted but not listed: digitising slivers.
const SLIVER_KM2: f64 = 0.001;
/// How many overlaps and area changes are listed in the notes (all are counted).
const LISTED: usize = 20;

// size: the boundary import in transaction order (check, stage, versions, pieces, count); to split by phase next
pub(super) async fn write(
    conn: &mut PgConnection,
    ctx: &Ctx<'_>,
    batch: Batch<'_>,
) -> Result<Written, ImportError> {
    let level = ctx.args.target.level().unwrap_or("municipality");
    let missing = "missing code: every unit needs its official code (map the file's field with --field code=FIELD)";
    let rows = Candidate::keyed_rows(
        batch.candidates,
        ("code", missing),
        &mut batch.summary.rejections,
        population_problem,
    );
    note_differing_parts(&rows, batch.summary);
    let mut checked = stage::load(conn, &rows, Want::Polygon, &ctx.bar).await?;
    batch.summary.repairs.append(&mut checked.repairs);
    // A unit with a rejected part is rejected whole: never written with a piece missing.
    let bad: HashMap<String, Option<i64>> = checked
        .rejections
        .iter()
        .filter_map(|i| i.id.clone().map(|k| (k, i.fid)))
        .collect();
    batch.summary.rejections.append(&mut checked.rejections);
    let mut incomplete = Vec::new();
    checked.accepted.retain(|&i| {
        let r = &rows[i];
        match bad.get(&r.key) {
            Some(fid) => {
                let other = fid.map(|f| format!("feature {f}")).unwrap_or("another part".into());
                batch.summary.rejections.push(r.issue(format!(
                    "another part of unit {} ({other}) was rejected: the unit is not imported incomplete",
                    r.key
                )));
                incomplete.push(i as i32);
                false
            }
            None => true,
        }
    });
    if !incomplete.is_empty() {
        sqlx::query("UPDATE mk_stage SET reject = 'another part rejected' WHERE ord = ANY($1)")
            .bind(&incomplete)
            .execute(&mut *conn)
            .await?;
    }
    ctx.bar.set_message("merging multipart units");
    let merged: Vec<(String, i32, f64, f64)> = sqlx::query_as(include_str!("sql/units_merge.sql"))
        .fetch_all(&mut *conn)
        .await?;
    if !merged.is_empty() {
        let parts: usize = merged.iter().map(|m| m.1 as usize).sum();
        batch.summary.notes.push(format!(
            "{} units were drawn in several features ({parts} features): each was imported as one unit, the union of its parts",
            merged.len()
        ));
        let merged_list = listed(&merged, |(code, n, parts_km2, union_km2)| {
            let shared = parts_km2 - union_km2;
            let overlap = if shared > SLIVER_KM2 {
                format!(", the parts overlapping by {shared:.3} km²")
            } else {
                String::new()
            };
            format!("{code} ({n} parts, {union_km2:.3} km²{overlap})")
        });
        batch
            .summary
            .notes
            .push(format!("merged units: {merged_list}"));
        // Only the first part of each merged unit is written; the others count as one unit.
        let mut seen = HashSet::new();
        checked
            .accepted
            .retain(|&i| seen.insert(rows[i].key.clone()));
    }
    check_codes(conn, ctx, level, &rows).await?;
    ctx.bar.set_message("writing units");

    // real-world validity (docs/dates.md): per-feature dates, else --valid-from/--valid-to, else now
    let valid_from = ctx.args.valid_from.and_then(crate::asof::day_start);
    let valid_to = ctx.args.valid_to.and_then(crate::asof::day_start);
    let mapped: Vec<&str> = ctx.mapped.clone();
    let closed: Vec<String> = sqlx::query_scalar(include_str!("sql/units_close.sql"))
        .bind(level)
        .bind(valid_from)
        .fetch_all(&mut *conn)
        .await?;
    let valid = (valid_from, valid_to);
    let in_place: Vec<(String,)> = write_staged(
        conn,
        include_str!("sql/units_update.sql"),
        (level, ctx),
        valid,
        &mapped,
    )
    .await?;
    let inserted: Vec<(String, i32)> = write_staged(
        conn,
        include_str!("sql/units_insert.sql"),
        (level, ctx),
        valid,
        &mapped,
    )
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
        .chain(in_place.iter().map(|(code,)| code))
        .chain(&population)
        .map(String::as_str)
        .filter(|c| !new.contains(c))
        .collect();
    if !closed.is_empty() {
        batch.summary.notes.push(format!(
            "{} {level} boundaries changed: their previous version was closed (valid_to set) and kept",
            closed.len()
        ));
    }
    ctx.bar.set_message("checking overlaps and area changes");
    report_area_changes(conn, level, &closed, batch.summary).await?;
    // Overlaps can only appear where a boundary was drawn (new units, new versions).
    let drawn: Vec<&str> = inserted.iter().map(|(c, _)| c.as_str()).collect();
    report_overlaps(conn, level, &drawn, batch.summary).await?;
    let total: i64 =
        sqlx::query_scalar("SELECT count(*) FROM admin_unit WHERE level = $1 AND valid_to IS NULL")
            .bind(level)
            .fetch_one(&mut *conn)
            .await?;
    let missing = total as usize - (checked.accepted.len().min(total as usize));
    if missing > 0 {
        batch.summary.notes.push(format!(
            "{missing} current {level} units are not in this file; they were left as they are"
        ));
    }
    Ok(Written {
        accepted: checked.accepted.len(),
        inserted: new.len(),
        updated: changed.len(),
    })
}

/// Stop when most of the file's codes are unknown to a level that already has units and the units
/// with unknown codes lie on the level's current territory: the file probably uses another coding
/// (or is the wrong level), and importing it would double the level. Files of a few units (fewer
/// than [`MIN_CODES`]) and units on new territory (another region loaded next) pass.
async fn check_codes(
    conn: &mut PgConnection,
    ctx: &Ctx<'_>,
    level: &str,
    rows: &[Row],
) -> Result<(), ImportError> {
    if ctx.args.new_codes || rows.len() < MIN_CODES {
        return Ok(());
    }
    let codes: Vec<&str> = {
        let set: HashSet<&str> = rows.iter().map(|r| r.key.as_str()).collect();
        let mut v: Vec<&str> = set.into_iter().collect();
        v.sort_unstable();
        v
    };
    let (existing, matched): (i64, i64) = sqlx::query_as(
        "SELECT count(*), count(*) FILTER (WHERE code = ANY($2)) FROM admin_unit WHERE level = $1 AND valid_to IS NULL",
    )
    .bind(level)
    .bind(&codes)
    .fetch_one(&mut *conn)
    .await?;
    if existing == 0 {
        return Ok(());
    }
    let share = matched as f64 / codes.len() as f64;
    if codes.len() < MIN_CODES || share >= MIN_MATCH {
        return Ok(());
    }
    // Share of the unknown units' area that lies on current units of the level (planar ratio).
    let on_existing: f64 = sqlx::query_scalar(include_str!("sql/units_code_overlap.sql"))
        .bind(level)
        .fetch_one(&mut *conn)
        .await?;
    if on_existing < MIN_MATCH {
        return Ok(());
    }
    let known: Vec<String> = sqlx::query_scalar(
        "SELECT code FROM admin_unit WHERE level = $1 AND valid_to IS NULL ORDER BY code LIMIT 5",
    )
    .bind(level)
    .fetch_all(&mut *conn)
    .await?;
    let unknown: Vec<&str> = codes.iter().take(5).copied().collect();
    Err(ImportError::Args(format!(
        "only {matched} of the file's {} {level} codes ({:.0} %) match the {existing} current {level} codes, \
         and the units with unknown codes lie on the current units' territory ({:.0} % of their area) \
         (file: {}, …; database: {}, …). Check --field code=… (is it the official code?) and the level; \
         if the file really brings a new coding, run again with --new-codes",
        codes.len(),
        share * 100.0,
        on_existing * 100.0,
        unknown.join(", "),
        known.join(", ")
    )))
}

/// Parts of one unit whose attributes differ: the first part's are used; say so.
fn note_differing_parts(rows: &[Row], summary: &mut Summary) {
    let mut first: HashMap<&str, &Row> = HashMap::new();
    let mut noted = HashSet::new();
    for r in rows {
        match first.get(r.key.as_str()) {
            None => {
                first.insert(&r.key, r);
            }
            Some(f) if f.data != r.data && noted.insert(r.key.as_str()) => {
                let at = |r: &Row| r.fid.map(|f| format!("feature {f}")).unwrap_or("?".into());
                summary.notes.push(format!(
                    "unit {}: its parts have different attributes; those of its first part ({}) were used, not those of {}",
                    r.key,
                    at(f),
                    at(r)
                ));
            }
            Some(_) => {}
        }
    }
}

async fn report_area_changes(
    conn: &mut PgConnection,
    level: &str,
    closed: &[String],
    summary: &mut Summary,
) -> Result<(), ImportError> {
    if closed.is_empty() {
        return Ok(());
    }
    let closed: Vec<&str> = closed.iter().map(String::as_str).collect();
    let changes: Vec<(String, f64, f64)> = level_rows(
        conn,
        include_str!("sql/units_area_change.sql"),
        level,
        &closed,
    )
    .await?;
    let lost: f64 = changes.iter().map(|c| c.1).sum();
    let gained: f64 = changes.iter().map(|c| c.2).sum();
    summary.notes.push(format!(
        "against their previous version, the {} changed {level} boundaries lost {lost:.3} km² and gained {gained:.3} km²",
        changes.len()
    ));
    let mut sorted: Vec<&(String, f64, f64)> = changes.iter().collect();
    sorted.sort_by(|a, b| (b.1 + b.2).total_cmp(&(a.1 + a.2)));
    summary.notes.push(format!(
        "{level} boundaries against their previous version: {}",
        listed(&sorted, |(code, lost, gained)| format!(
            "{code} lost {lost:.3} km², gained {gained:.3} km²"
        ))
    ));
    summary.area_changes = changes;
    Ok(())
}

async fn report_overlaps(
    conn: &mut PgConnection,
    level: &str,
    codes: &[&str],
    summary: &mut Summary,
) -> Result<(), ImportError> {
    let overlaps: Vec<(String, String, f64)> =
        level_rows(conn, include_str!("sql/units_overlaps.sql"), level, codes).await?;
    let (real, slivers): (Vec<_>, Vec<_>) = overlaps.into_iter().partition(|o| o.2 >= SLIVER_KM2);
    if !real.is_empty() {
        let total: f64 = real.iter().map(|o| o.2).sum();
        summary.notes.push(format!(
            "{} pairs of current {level} units overlap ({total:.3} km² in all): a place would be counted in two units",
            real.len()
        ));
        summary.notes.push(format!(
            "overlapping {level} units: {}",
            listed(&real, |(a, b, km2)| format!("{a} and {b} by {km2:.3} km²"))
        ));
    }
    if !slivers.is_empty() {
        summary.notes.push(format!(
            "{} more pairs of {level} units overlap by less than {} m² each (digitising slivers)",
            slivers.len(),
            SLIVER_KM2 * 1e6
        ));
    }
    summary.overlaps = real;
    Ok(())
}

/// A write of the staged units of `level` from `ctx`'s source: `$1` the level, `$2` the source,
/// `$3`/`$4` the validity (from, to), `$5` the mapped fields; the rows it returns.
async fn write_staged<T>(
    conn: &mut PgConnection,
    sql: &'static str,
    (level, ctx): (&str, &Ctx<'_>),
    (valid_from, valid_to): (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
    mapped: &[&str],
) -> Result<Vec<T>, ImportError>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> + Send + Unpin,
{
    Ok(sqlx::query_as(sql)
        .bind(level)
        .bind(&ctx.source)
        .bind(valid_from)
        .bind(valid_to)
        .bind(mapped)
        .fetch_all(&mut *conn)
        .await?)
}

/// The rows `sql` returns for the `level` units `codes` (`$1` the level, `$2` the codes); none
/// without asking when there are no codes.
async fn level_rows<T>(
    conn: &mut PgConnection,
    sql: &'static str,
    level: &str,
    codes: &[&str],
) -> Result<Vec<T>, ImportError>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> + Send + Unpin,
{
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    Ok(sqlx::query_as(sql)
        .bind(level)
        .bind(codes)
        .fetch_all(&mut *conn)
        .await?)
}

/// The first [`LISTED`] items, `; `-separated, then ", and N more" when the list was cut.
fn listed<T>(items: &[T], show: impl Fn(&T) -> String) -> String {
    let shown: Vec<String> = items.iter().take(LISTED).map(show).collect();
    let more = if items.len() > LISTED {
        format!(", and {} more", items.len() - LISTED)
    } else {
        String::new()
    };
    format!("{}{more}", shown.join("; "))
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
