//! GDAL ingestion of any OGR source into Mokhattat.
//!
//! Flow: read the whole layer with GDAL inside `spawn_blocking` (reprojected to EPSG:4326, plain
//! Rust rows) → map and clean the attributes → in ONE transaction: stage the rows (UNNEST
//! batches), check/repair geometries in the database, then write each target with set-based SQL
//! → record the run in `import_run` → commit (or roll back for `--dry-run`). A file that cannot be
//! read fails before the transaction starts; any later error rolls everything back.
mod args;
mod capture;
mod error;
mod facilities;
mod fields;
mod keyed;
mod landuse;
pub mod normalize;
mod project_checks;
mod projects;
mod read;
mod sample;
mod stage;
mod strict;
mod summary;
mod units;
mod zones;

use std::{path::Path, time::Instant};

use indicatif::ProgressBar;
use serde_json::{Map, Value};
use sqlx::{PgConnection, PgPool};

pub use args::{ImportArgs, LanduseKind, Target};
pub use error::ImportError;
pub use sample::{load_sample, load_sample_if_empty, parse_manifest};
pub use summary::{Issue, Progress, Summary};

use read::{InputLayer, ReadOptions};
use stage::Row;

/// Import one file in one transaction and return what happened.
pub async fn run(
    pool: &PgPool,
    args: &ImportArgs,
    progress: Progress,
) -> Result<Summary, ImportError> {
    let started = Instant::now();
    let source = read_source(args, progress).await?;
    let mut tx = pool.begin().await?;
    // the lock every write that refreshes derived tables takes first (docs/write-rules.md): an
    // import and API writes never deadlock; a writer waiting longer than its lock timeout gets a
    // 503 that says to retry
    sqlx::query("SELECT mk_write_lock()")
        .execute(&mut *tx)
        .await?;
    let mut summary = write(&mut tx, args, source, progress).await?;
    if args.dry_run {
        tx.rollback().await?;
    } else {
        tx.commit().await?;
        refresh_statistics(pool).await;
    }
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// ANALYZE after a load: until autovacuum gets round to it, the planner would see freshly loaded
/// tables as empty and pick plans that take seconds instead of milliseconds.
pub(crate) async fn refresh_statistics(pool: &PgPool) {
    if let Err(e) = sqlx::query("ANALYZE").execute(pool).await {
        tracing::warn!(error = %e, "ANALYZE after the import failed; autovacuum will do it later");
    }
}

/// `mokhattat import …` (a GDAL target; `--as iati` is `iati::cli::run_import`): a progress bar
/// while it runs, the summary on stdout at the end.
pub async fn run_cli(pool: &PgPool, args: &ImportArgs) -> anyhow::Result<()> {
    let summary = run(pool, args, Progress::Bar).await?;
    print!("{summary}");
    if summary.all_rejected() {
        anyhow::bail!(
            "all {} features were rejected: nothing was imported (see the reasons above)",
            summary.read
        );
    }
    Ok(())
}

/// Read the file (blocking GDAL work on its own thread, one dataset per job).
pub(crate) async fn read_source(
    args: &ImportArgs,
    progress: Progress,
) -> Result<InputLayer, ImportError> {
    check_args(args)?;
    let opts = ReadOptions {
        path: args.path.clone(),
        layer: args.layer.clone(),
        src_crs: args.src_crs.clone(),
        filter: args.filter.clone(),
        open_options: args.open_options.clone(),
    };
    let bar = progress.bar(None, "reading");
    let task_bar = bar.clone();
    let source = tokio::task::spawn_blocking(move || read::read(&opts, &task_bar)).await?;
    bar.finish_and_clear();
    source
}

fn check_args(args: &ImportArgs) -> Result<(), ImportError> {
    if args.target == Target::Landuse && args.landuse_slug.is_none() {
        return Err(ImportError::Args(
            "--as landuse needs --landuse-slug SLUG, the identifier of the land-use layer (e.g. --landuse-slug pau-tunis)".into(),
        ));
    }
    if let (Some(from), Some(to)) = (args.valid_from, args.valid_to) {
        if to <= from {
            return Err(ImportError::Args(format!(
                "--valid-to {to} is not after --valid-from {from}"
            )));
        }
    }
    let dated = args.target.level().is_some() || args.target == Target::Landuse;
    if (args.valid_from.is_some() && !dated)
        || (args.valid_to.is_some() && args.target.level().is_none())
    {
        return Err(ImportError::Args(format!(
            "--valid-from/--valid-to apply to unit imports (--valid-from also to land use), not to --as {}",
            args.target.as_str()
        )));
    }
    if args.target != Target::Landuse {
        let landuse_only = [
            ("--landuse-slug", args.landuse_slug.is_some()),
            ("--landuse-name", args.landuse_name.is_some()),
            ("--landuse-kind", args.landuse_kind.is_some()),
            // zones belong to one commune too
            (
                "--municipality",
                args.municipality.is_some() && args.target != Target::Zones,
            ),
            ("--approved-on", args.approved_on.is_some()),
            ("--new-version", args.new_version),
        ];
        if let Some((opt, _)) = landuse_only.iter().find(|(_, set)| *set) {
            return Err(ImportError::Args(format!(
                "{opt} only applies to --as landuse (this import is --as {})",
                args.target.as_str()
            )));
        }
    }
    if args.new_codes && args.target.level().is_none() {
        return Err(ImportError::Args(format!(
            "--new-codes only applies to unit imports (governorates, delegations, sectors, municipalities); this import is --as {}",
            args.target.as_str()
        )));
    }
    Ok(())
}

/// A feature whose attributes were read and cleaned.
pub(crate) struct Candidate {
    pub fid: Option<i64>,
    pub data: Map<String, Value>,
    pub attrs: Map<String, Value>,
    pub wkb: Option<Vec<u8>>,
}

impl Candidate {
    pub fn str(&self, field: &str) -> Option<&str> {
        self.data.get(field).and_then(Value::as_str)
    }
    pub fn issue(&self, id: Option<&str>, reason: impl Into<String>) -> Issue {
        Issue {
            fid: self.fid,
            id: id.map(str::to_string),
            reason: reason.into(),
        }
    }
    /// The value of `field`, the row's key; `None` when it is missing, with `missing` recorded as
    /// the feature's rejection.
    pub fn key(&self, field: &str, missing: &str, rejections: &mut Vec<Issue>) -> Option<String> {
        let key = self.str(field).map(str::to_string);
        if key.is_none() {
            rejections.push(self.issue(None, missing));
        }
        key
    }
    /// The rows of the `candidates` that have their key `field` (else rejected with `missing`)
    /// and pass `check` (the reason it gives rejects one).
    pub fn keyed_rows(
        candidates: Vec<Candidate>,
        (field, missing): (&str, &str),
        rejections: &mut Vec<Issue>,
        check: impl Fn(&Candidate) -> Option<String>,
    ) -> Vec<Row> {
        let mut rows = Vec::with_capacity(candidates.len());
        for c in candidates {
            let Some(key) = c.key(field, missing, rejections) else {
                continue;
            };
            match check(&c) {
                Some(reason) => rejections.push(c.issue(Some(&key), reason)),
                None => rows.push(c.into_row(key)),
            }
        }
        rows
    }
    pub fn into_row(self, key: String) -> Row {
        Row {
            fid: self.fid,
            key,
            data: self.data,
            attrs: self.attrs,
            wkb: self.wkb,
        }
    }
}

/// What a target writer is given: the features read, and the summary it reports into.
pub(crate) struct Batch<'s> {
    pub candidates: Vec<Candidate>,
    pub summary: &'s mut Summary,
}

/// What a target writer needs.
pub(crate) struct Ctx<'a> {
    pub args: &'a ImportArgs,
    /// `--source`, else the file name.
    pub source: String,
    /// Canonical fields the file fills (through a field or a default).
    pub mapped: Vec<&'static str>,
    pub bar: ProgressBar,
}

/// What a target writer did with the rows it accepted.
#[derive(Debug, Default)]
pub(crate) struct Written {
    pub accepted: usize,
    pub inserted: usize,
    pub updated: usize,
}

impl Written {
    /// From an upsert that returns, per written row, whether it was inserted (else updated).
    pub fn counted(accepted: usize, inserted_flags: &[bool]) -> Self {
        let inserted = inserted_flags.iter().filter(|i| **i).count();
        Written {
            accepted,
            inserted,
            updated: inserted_flags.len() - inserted,
        }
    }
}

/// Write an already-read file inside the caller's transaction.
// size: one import from mapping to summary in order; the per-target parts are already their own modules
pub(crate) async fn write(
    conn: &mut PgConnection,
    args: &ImportArgs,
    source: InputLayer,
    progress: Progress,
) -> Result<Summary, ImportError> {
    let started = Instant::now();
    let mapping = fields::mapping(
        args.target,
        fields::Options {
            explicit: &args.fields,
            defaults: &args.defaults,
            value_maps: &args.value_maps,
            auto: !args.no_auto_fields,
            date_format: args.date_format.as_deref(),
        },
        &source.field_names,
    )?;
    let mut summary = Summary {
        target: args.target.as_str().to_string(),
        path: args.path.display().to_string(),
        layer: source.layer.clone(),
        crs: source.crs.clone(),
        dry_run: args.dry_run,
        read: source.features.len(),
        notes: source.notes,
        ..Default::default()
    };
    let key_field = match args.target {
        Target::Landuse | Target::Facilities => "id",
        _ => "code",
    };
    let key_source = mapping
        .fields
        .iter()
        .find(|f| f.0 == key_field)
        .and_then(|f| f.2.clone());
    let mut candidates = Vec::with_capacity(source.features.len());
    for f in source.features {
        let id = key_source
            .as_ref()
            .and_then(|s| f.fields.get(s))
            .and_then(normalize::code);
        let issue = |reason: String| Issue {
            fid: f.fid,
            id: id.clone(),
            reason,
        };
        if let Some(problem) = &f.problem {
            summary.rejections.push(issue(problem.clone()));
            continue;
        }
        match mapping.convert(&f) {
            Ok((data, attrs)) => candidates.push(Candidate {
                fid: f.fid,
                data,
                attrs,
                wkb: f.wkb,
            }),
            Err(reason) => summary.rejections.push(issue(reason)),
        }
    }
    let ctx = Ctx {
        args,
        source: args.source.clone().unwrap_or_else(|| file_name(&args.path)),
        mapped: mapping
            .fields
            .iter()
            .filter(|f| f.2.is_some() || f.3.is_some())
            .map(|f| f.0)
            .collect(),
        bar: progress.bar(None, "writing"),
    };
    let batch = Batch {
        candidates,
        summary: &mut summary,
    };
    let written = match args.target {
        Target::Landuse => landuse::write(conn, &ctx, batch).await?,
        Target::Projects => projects::write(conn, &ctx, batch).await?,
        Target::Facilities => keyed::write(conn, &ctx, batch, &facilities::TARGET, &[]).await?,
        Target::Zones => zones::write(conn, &ctx, batch).await?,
        _ => units::write(conn, &ctx, batch).await?,
    };
    ctx.bar.finish_and_clear();
    summary.inserted = written.inserted;
    summary.updated = written.updated;
    summary.unchanged = written
        .accepted
        .saturating_sub(written.inserted + written.updated);
    summary.repairs.sort_by_key(|i| i.fid);
    summary.rejections.sort_by_key(|i| i.fid);
    summary.repaired = summary.repairs.len();
    summary.rejected = summary.rejections.len();
    summary.elapsed = started.elapsed();
    summary.record(conn).await?;
    Ok(summary)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Keep the first row of each key; reject the others, naming the first.
pub(crate) fn dedupe(rows: Vec<Row>, what: &str, rejections: &mut Vec<Issue>) -> Vec<Row> {
    let mut seen: std::collections::HashMap<String, Option<i64>> = Default::default();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        if let Some(first) = seen.get(&row.key) {
            let first = first
                .map(|f| format!("feature {f}"))
                .unwrap_or("an earlier feature".into());
            rejections.push(row.issue(format!(
                "duplicate {what} {:?}: already given by {first}",
                row.key
            )));
            continue;
        }
        seen.insert(row.key.clone(), row.fid);
        out.push(row);
    }
    out
}
