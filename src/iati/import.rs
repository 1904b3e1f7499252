//! IATI activities into projects: each activity is matched by its identifier (`iati_activity`),
//! created or updated, its locations and commitments replaced only when they differ. One
//! transaction per file; a file with an error changes nothing.
use std::{collections::BTreeMap, fmt, path::Path};

use rust_decimal::Decimal;
use serde::Serialize;
use sqlx::{PgConnection, PgPool};

use super::activity::{activity, content, Activity, Names};
use super::{read, IatiError};

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
