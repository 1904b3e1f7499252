// size: the activity reader and writer of one IATI file; to split into read/write files (issue 13)
//! IATI activities into projects: each activity is matched by its identifier (`iati_activity`),
//! created or updated, its locations and commitments replaced only when they differ. One
//! transaction per file; a file with an error changes nothing.
use std::{collections::BTreeMap, fmt, path::Path, str::FromStr};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use sqlx::{PgConnection, PgPool};

use super::{location, read, read::Element, IatiError};

/// What an import did, as the endpoint returns it and the command line prints it.
#[derive(Debug, Default, Serialize)]
pub struct ImportReport {
    pub path: String,
    pub dry_run: bool,
    pub activities: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub skipped: usize,
    /// Parts not imported and why (`identifier: reason`).
    pub notes: Vec<String>,
    pub run_id: Option<i64>,
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "iati {}{}: {} activities read, {} created, {} updated, {} unchanged, {} skipped",
            self.path,
            if self.dry_run {
                " (dry run, rolled back)"
            } else {
                ""
            },
            self.activities,
            self.created,
            self.updated,
            self.unchanged,
            self.skipped
        )?;
        for n in &self.notes {
            writeln!(f, "  - {n}")?;
        }
        Ok(())
    }
}

type Names = BTreeMap<String, String>;

#[derive(Debug)]
struct Loc {
    source_id: String,
    precision: String,
    name: Option<String>,
    unit_code: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
}

#[derive(Debug)]
struct Activity {
    identifier: String,
    reporting_ref: String,
    reporting_type: Option<String>,
    reporting_names: Names,
    title: Names,
    description: Names,
    owner: Option<String>,
    status: i32,
    dates: [Option<NaiveDate>; 4],
    sector: Option<String>,
    budget: Option<Decimal>,
    locations: Vec<Loc>,
    /// (funder, amount in TND)
    commitments: Vec<(Option<String>, Decimal)>,
    notes: Vec<String>,
}

fn content(msg: String) -> IatiError {
    IatiError::Content(msg)
}

fn code_in(
    el: &Element,
    id: &str,
    what: &str,
    allowed: &[&str],
) -> Result<Option<String>, IatiError> {
    match el.attr("code").map(str::trim) {
        None => Ok(None),
        Some(c) if allowed.contains(&c) => Ok(Some(c.to_string())),
        Some(c) => Err(content(format!(
            "activity {id}: {what} code {c:?} is not on the IATI codelist ({})",
            allowed.join(", ")
        ))),
    }
}

/// Narratives by language (ar/fr/en; a narrative without xml:lang has the activity's language).
fn names(el: Option<&Element>, default_lang: &str, notes: &mut Vec<String>, id: &str) -> Names {
    let mut out = Names::new();
    for n in el.into_iter().flat_map(|e| e.all("narrative")) {
        let lang = n
            .attr("xml:lang")
            .unwrap_or(default_lang)
            .to_ascii_lowercase();
        let text = n.trimmed();
        if text.is_empty() {
            continue;
        }
        if ["ar", "fr", "en"].contains(&lang.as_str()) {
            out.entry(lang).or_insert_with(|| text.to_string());
        } else {
            notes.push(format!(
                "{id}: narrative in language {lang:?} not kept (only ar, fr, en)"
            ));
        }
    }
    out
}

fn first_name(el: Option<&Element>) -> Option<String> {
    el.and_then(|e| e.child("narrative"))
        .map(|n| n.trimmed().to_string())
        .filter(|t| !t.is_empty())
}

fn date(el: &Element, id: &str, attr: &str) -> Result<Option<NaiveDate>, IatiError> {
    el.attr(attr)
        .map(|d| {
            NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").map_err(|_| {
                content(format!(
                    "activity {id}: {attr} {d:?} is not a date (YYYY-MM-DD)"
                ))
            })
        })
        .transpose()
}

/// The amount of a `<value>` in TND, or a note why it cannot be kept.
fn tnd_value(
    el: Option<&Element>,
    default_currency: &str,
    id: &str,
) -> Result<Result<Decimal, String>, IatiError> {
    let Some(v) = el else {
        return Ok(Err("no value".into()));
    };
    let amount = Decimal::from_str(v.trimmed()).map_err(|_| {
        content(format!(
            "activity {id}: value {:?} is not a number",
            v.trimmed()
        ))
    })?;
    if amount.is_sign_negative() {
        return Ok(Err(format!("negative value {amount}")));
    }
    let currency = v.attr("currency").unwrap_or(default_currency);
    if currency != "TND" {
        return Ok(Err(format!(
            "value in {currency}: only TND amounts are kept"
        )));
    }
    Ok(Ok(amount))
}

const STATUSES: &[&str] = &["1", "2", "3", "4", "5", "6"];
const EXACTNESS: &[&str] = &["1", "2"];
const CLASSES: &[&str] = &["1", "2", "3", "4"];
const REACHES: &[&str] = &["1", "2"];
const TRANSACTION_TYPES: &[&str] = &[
    "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13",
];

// size: reads one activity element by element in XSD order; to split (issue 13)
fn activity(a: &Element, levels: &BTreeMap<String, String>) -> Result<Activity, IatiError> {
    let id = a
        .child("iati-identifier")
        .map(|i| i.trimmed().to_string())
        .filter(|i| !i.is_empty())
        .ok_or_else(|| content("an iati-activity has no iati-identifier".into()))?;
    let lang = a.attr("xml:lang").unwrap_or("fr").to_ascii_lowercase();
    let currency = a.attr("default-currency").unwrap_or("TND").to_string();
    let mut notes = Vec::new();
    let rep = a.child("reporting-org");
    let reporting_ref = rep
        .and_then(|r| r.attr("ref"))
        .unwrap_or("")
        .trim()
        .to_string();
    let status_el = a
        .child("activity-status")
        .ok_or_else(|| content(format!("activity {id}: no activity-status")))?;
    let status = code_in(status_el, &id, "activity-status", STATUSES)?
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| content(format!("activity {id}: activity-status has no code")))?;
    let mut dates = [None; 4];
    for d in a.all("activity-date") {
        let t = code_in(
            &Element {
                attrs: vec![("code".into(), d.attr("type").unwrap_or("").into())],
                ..Default::default()
            },
            &id,
            "activity-date type",
            &["1", "2", "3", "4"],
        )?;
        if let Some(i) = t.and_then(|t| t.parse::<usize>().ok()) {
            dates[i - 1] = date(d, &id, "iso-date")?;
        }
    }
    let mut sector = None;
    for s in a.all("sector") {
        let vocab = s.attr("vocabulary").unwrap_or("1");
        let code = s.attr("code").unwrap_or("").trim();
        if vocab != "1" {
            notes.push(format!("{id}: sector {code} of vocabulary {vocab} not kept (only DAC 5-digit, vocabulary 1)"));
        } else if code.len() != 5 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(content(format!(
                "activity {id}: sector code {code:?} is not a DAC 5-digit code"
            )));
        } else if sector.is_none() {
            sector = Some(code.to_string());
        }
    }
    let budget = match a.child("budget") {
        None => None,
        Some(b) => match tnd_value(b.child("value"), &currency, &id)? {
            Ok(v) => Some(v),
            Err(why) => {
                notes.push(format!("{id}: budget not kept: {why}"));
                None
            }
        },
    };
    let mut locations = Vec::new();
    for (n, l) in a.all("location").enumerate() {
        if let Some(r) = l.child("location-reach") {
            code_in(r, &id, "location-reach", REACHES)?;
        }
        let exactness = match l.child("exactness") {
            Some(e) => code_in(e, &id, "exactness", EXACTNESS)?,
            None => None,
        };
        let class = match l.child("location-class") {
            Some(e) => code_in(e, &id, "location-class", CLASSES)?,
            None => None,
        };
        let (lat, lon) = match l.child("point").and_then(|p| p.child("pos")) {
            None => (None, None),
            Some(pos) => {
                let parts: Vec<f64> = pos
                    .trimmed()
                    .split_whitespace()
                    .filter_map(|x| x.parse().ok())
                    .collect();
                match parts.as_slice() {
                    [lat, lon] if lat.abs() <= 90.0 && lon.abs() <= 180.0 => {
                        (Some(*lat), Some(*lon))
                    }
                    _ => {
                        return Err(content(format!(
                            "activity {id}: point pos {:?} is not \"lat lon\"",
                            pos.trimmed()
                        )))
                    }
                }
            }
        };
        let mut unit = None;
        for adm in l.all("administrative") {
            let level = adm.attr("level").unwrap_or("");
            match (adm.attr("vocabulary"), levels.get(level), adm.attr("code")) {
                (Some(v), Some(ours), Some(code)) if v == location::ADMIN_VOCABULARY => {
                    unit = Some((ours.clone(), code.trim().to_string()));
                }
                _ => notes.push(format!(
                    "{id}: administrative {} level {level} (vocabulary {}) is not one of our units",
                    adm.attr("code").unwrap_or(""),
                    adm.attr("vocabulary").unwrap_or("")
                )),
            }
        }
        let source_id = l
            .attr("ref")
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_string)
            .unwrap_or_else(|| format!("iati-{}", n + 1));
        let name = first_name(l.child("name"));
        let (precision, unit_code) = match unit {
            Some((level, code)) => (level, Some(code)),
            None if lat.is_none() && class.as_deref() != Some("1") => {
                notes.push(format!(
                    "{id}: location {source_id} has neither point nor unit: skipped"
                ));
                continue;
            }
            None => (
                location::precision_of(exactness.as_deref(), class.as_deref()).to_string(),
                None,
            ),
        };
        locations.push(Loc {
            source_id,
            precision,
            name,
            unit_code,
            lat,
            lon,
        });
    }
    let mut commitments = Vec::new();
    for t in a.all("transaction") {
        let kind = match t.child("transaction-type") {
            Some(k) => code_in(k, &id, "transaction-type", TRANSACTION_TYPES)?,
            None => None,
        };
        match kind.as_deref() {
            Some("2") => match tnd_value(t.child("value"), &currency, &id)? {
                Ok(v) => commitments.push((first_name(t.child("provider-org")), v)),
                Err(why) => notes.push(format!("{id}: commitment not kept: {why}")),
            },
            Some(k) => notes.push(format!(
                "{id}: transaction of type {k} not imported (only commitments, type 2)"
            )),
            None => {
                return Err(content(format!(
                    "activity {id}: a transaction has no transaction-type"
                )))
            }
        }
    }
    let mut reporting_names_notes = Vec::new();
    let reporting_names = names(rep, &lang, &mut reporting_names_notes, &id);
    let title = names(a.child("title"), &lang, &mut notes, &id);
    let description = names(
        a.all("description")
            .find(|d| d.attr("type").unwrap_or("1") == "1"),
        &lang,
        &mut notes,
        &id,
    );
    let owner = a
        .all("participating-org")
        .find(|p| p.attr("role") == Some("4"))
        .and_then(|p| first_name(Some(p)));
    Ok(Activity {
        reporting_type: rep.and_then(|r| r.attr("type")).map(str::to_string),
        identifier: id,
        reporting_ref,
        reporting_names,
        title,
        description,
        owner,
        status,
        dates,
        sector,
        budget,
        locations,
        commitments,
        notes,
    })
}

/// `mokhattat import FILE.xml --as iati`.
pub async fn import_file(
    pool: &PgPool,
    path: &Path,
    partner: Option<&str>,
    dry_run: bool,
) -> Result<ImportReport, IatiError> {
    let len = tokio::fs::metadata(path)
        .await
        .map_err(|e| IatiError::Invalid(format!("{}: {e}", path.display())))?
        .len();
    if len > super::MAX_FILE_BYTES as u64 {
        return Err(IatiError::TooLarge(format!(
            "{}: {len} bytes; at most {} are accepted",
            path.display(),
            super::MAX_FILE_BYTES
        )));
    }
    let bytes = tokio::fs::read(path)
        .await
        .map_err(|e| IatiError::Invalid(format!("{}: {e}", path.display())))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| IatiError::Malformed(format!("{} is not UTF-8 text", path.display())))?;
    let name = path.to_string_lossy();
    import_xml(pool, &text, &name, partner, dry_run).await
}
// size: one transaction from parse to report; to split (issue 13)
/// Import an IATI file given as text, in one transaction.
pub async fn import_xml(
    pool: &PgPool,
    xml: &str,
    path: &str,
    partner: Option<&str>,
    dry_run: bool,
) -> Result<ImportReport, IatiError> {
    let root = read::parse(xml)?;
    if root.name != "iati-activities" {
        return Err(content(format!(
            "the root element is <{}>: an IATI activity file starts with <iati-activities>",
            root.name
        )));
    }
    match root.attr("version") {
        Some(v) if v.starts_with("2.0") => {}
        v => {
            return Err(content(format!(
                "iati-activities version {:?}: only IATI 2.01–2.03 files are read",
                v.unwrap_or("")
            )))
        }
    }
    // the write transaction every path shares (docs/write-rules.md): write lock first, the
    // derived tables refreshed once at commit instead of once per statement
    let mut tx = crate::projects::rules::write_tx(pool).await?;
    let levels: BTreeMap<String, String> =
        sqlx::query_as::<_, (i32, String)>("SELECT iati_level, level FROM iati_admin_level")
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(|(n, l)| (n.to_string(), l))
            .collect();
    let activities = root
        .all("iati-activity")
        .map(|a| activity(a, &levels))
        .collect::<Result<Vec<_>, _>>()?;
    let mut report = ImportReport {
        path: path.to_string(),
        dry_run,
        activities: activities.len(),
        ..Default::default()
    };
    let mut seen = std::collections::HashSet::new();
    for a in activities {
        if !seen.insert(a.identifier.clone()) {
            report.skipped += 1;
            report.notes.push(format!(
                "{}: appears twice in the file; the first one was imported",
                a.identifier
            ));
            continue;
        }
        report.notes.extend(a.notes.iter().cloned());
        match write_activity(&mut tx, &a, path, partner).await? {
            Outcome::Created => report.created += 1,
            Outcome::Updated => report.updated += 1,
            Outcome::Unchanged => report.unchanged += 1,
            Outcome::Skipped(why) => {
                report.skipped += 1;
                report
                    .notes
                    .push(format!("{}: skipped: {why}", a.identifier));
            }
        }
    }
    let run_id: i64 = sqlx::query_scalar(
        "INSERT INTO import_run (target, path, read, inserted, updated, unchanged, repaired, rejected, report)
         VALUES ('iati', $1, $2, $3, $4, $5, 0, $6, $7) RETURNING id",
    )
    .bind(path)
    .bind(report.activities as i32)
    .bind(report.created as i32)
    .bind(report.updated as i32)
    .bind(report.unchanged as i32)
    .bind(report.skipped as i32)
    .bind(serde_json::json!(report.notes))
    .fetch_one(&mut *tx)
    .await?;
    if dry_run {
        tx.rollback().await?;
    } else {
        report.run_id = Some(run_id);
        crate::projects::rules::commit(tx).await?;
    }
    Ok(report)
}

enum Outcome {
    Created,
    Updated,
    Unchanged,
    Skipped(String),
}

// size: writes project, narratives, locations and funding of one activity in one place; to split (issue 13)
async fn write_activity(
    tx: &mut PgConnection,
    a: &Activity,
    path: &str,
    partner: Option<&str>,
) -> Result<Outcome, IatiError> {
    for l in &a.locations {
        if let Some(code) = &l.unit_code {
            let known: bool = sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM admin_unit WHERE level = $1 AND code = $2 AND valid_to IS NULL)",
            )
            .bind(&l.precision)
            .bind(code)
            .fetch_one(&mut *tx)
            .await?;
            if !known {
                return Ok(Outcome::Skipped(format!(
                    "location {} names {} {code}, which is not a current unit here",
                    l.source_id, l.precision
                )));
            }
        }
    }
    let existing: Option<i64> =
        sqlx::query_scalar("SELECT project_id FROM iati_activity WHERE identifier = $1")
            .bind(&a.identifier)
            .fetch_optional(&mut *tx)
            .await?;
    let code = match existing {
        Some(_) => None,
        None => {
            let local = a
                .identifier
                .strip_prefix(&format!("{}-", a.reporting_ref))
                .filter(|l| !a.reporting_ref.is_empty() && !l.is_empty())
                .unwrap_or(&a.identifier);
            let taken: bool =
                sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM project WHERE code = $1)")
                    .bind(local)
                    .fetch_one(&mut *tx)
                    .await?;
            Some(if taken {
                a.identifier.clone()
            } else {
                local.to_string()
            })
        }
    };
    let partner = partner.unwrap_or(&a.reporting_ref);
    let t = |m: &Names, l: &str| m.get(l).cloned();
    let (pid, changed): (i64, bool) = sqlx::query_as(include_str!("sql/upsert_project.sql"))
        .bind(existing)
        .bind(code.as_deref().unwrap_or(""))
        .bind(t(&a.title, "ar"))
        .bind(t(&a.title, "fr"))
        .bind(t(&a.title, "en"))
        .bind(t(&a.description, "ar"))
        .bind(t(&a.description, "fr"))
        .bind(t(&a.description, "en"))
        .bind(&a.sector)
        .bind(&a.owner)
        .bind(partner)
        .bind(a.status)
        .bind(a.dates[0])
        .bind(a.dates[1])
        .bind(a.dates[2])
        .bind(a.dates[3])
        .bind(a.budget)
        .bind(path)
        .fetch_one(&mut *tx)
        .await?;
    let mut touched = changed;
    if existing.is_none() {
        sqlx::query(
            "INSERT INTO iati_activity (project_id, identifier, reporting_ref, reporting_type, reporting_names)
             SELECT $1, $2, $3, $4, $5
             WHERE $3 IS DISTINCT FROM (SELECT ref FROM iati_reporting_org)",
        )
        .bind(pid)
        .bind(&a.identifier)
        .bind(&a.reporting_ref)
        .bind(&a.reporting_type)
        .bind(serde_json::json!(a.reporting_names))
        .execute(&mut *tx)
        .await?;
        // our own activities coming back: the reporting organisation is ours
        sqlx::query(
            "INSERT INTO iati_activity (project_id, identifier) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(pid)
        .bind(&a.identifier)
        .execute(&mut *tx)
        .await?;
    }
    let refs: Vec<String> = a.locations.iter().map(|l| l.source_id.clone()).collect();
    let gone = sqlx::query(
        "DELETE FROM project_location WHERE project_id = $1 AND NOT (source_id = ANY($2))",
    )
    .bind(pid)
    .bind(&refs)
    .execute(&mut *tx)
    .await?;
    touched |= gone.rows_affected() > 0;
    let locs = &a.locations;
    let changed_locations: Vec<i64> = sqlx::query_scalar(include_str!("sql/upsert_location.sql"))
        .bind(pid)
        .bind(&refs)
        .bind(locs.iter().map(|l| l.precision.clone()).collect::<Vec<_>>())
        .bind(locs.iter().map(|l| l.name.clone()).collect::<Vec<_>>())
        .bind(locs.iter().map(|l| l.unit_code.clone()).collect::<Vec<_>>())
        .bind(locs.iter().map(|l| l.lat).collect::<Vec<_>>())
        .bind(locs.iter().map(|l| l.lon).collect::<Vec<_>>())
        .fetch_all(&mut *tx)
        .await?;
    touched |= !changed_locations.is_empty();
    let have: Vec<(Option<String>, Decimal)> = sqlx::query_as(
        "SELECT funder, amount_tnd FROM funding_line WHERE project_id = $1 ORDER BY id",
    )
    .bind(pid)
    .fetch_all(&mut *tx)
    .await?;
    if have != a.commitments {
        sqlx::query("DELETE FROM funding_line WHERE project_id = $1")
            .bind(pid)
            .execute(&mut *tx)
            .await?;
        for (funder, amount) in &a.commitments {
            sqlx::query(
                "INSERT INTO funding_line (project_id, source_kind, funder, amount, currency, amount_tnd)
                 VALUES ($1, 'other', $2, $3, 'TND', $3)",
            )
            .bind(pid)
            .bind(funder)
            .bind(amount)
            .execute(&mut *tx)
            .await?;
        }
        touched = true;
    }
    if !touched {
        return Ok(Outcome::Unchanged);
    }
    sqlx::query(
        "INSERT INTO project_event (project_id, project_code, kind, author, note, data)
         SELECT id, code, 'imported', 'iati import', $2, jsonb_build_object('iati_identifier', $3::text)
         FROM project WHERE id = $1",
    )
    .bind(pid)
    .bind(path)
    .bind(&a.identifier)
    .execute(&mut *tx)
    .await?;
    Ok(if existing.is_some() {
        Outcome::Updated
    } else {
        Outcome::Created
    })
}
