//! What an import did: counts, repairs, rejections, notes; and how progress is shown.
use std::{fmt, time::Duration};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
use serde_json::json;
use sqlx::PgConnection;

/// How much an import shows while it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// A progress bar on stderr (the CLI).
    Bar,
    /// Nothing (the server, tests); the caller logs the summary.
    Hidden,
}

impl Progress {
    pub(crate) fn bar(self, len: Option<u64>, what: &str) -> ProgressBar {
        match self {
            Progress::Hidden => ProgressBar::hidden(),
            Progress::Bar => {
                let bar = ProgressBar::with_draw_target(len, ProgressDrawTarget::stderr());
                let style = ProgressStyle::with_template(
                    "{spinner} {prefix:>8} [{bar:30}] {pos}/{len} {msg} ({elapsed})",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> ");
                bar.set_style(style);
                bar.set_prefix(what.to_string());
                bar.enable_steady_tick(Duration::from_millis(120));
                bar
            }
        }
    }
}

/// One feature that was repaired or rejected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    /// The feature's OGR FID in the file.
    pub fid: Option<i64>,
    /// The feature's own identifier (code, source id), when it has one.
    pub id: Option<String>,
    pub reason: String,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.id, self.fid) {
            (Some(id), Some(fid)) => write!(f, "{id} (feature {fid}): {}", self.reason),
            (Some(id), None) => write!(f, "{id}: {}", self.reason),
            (None, Some(fid)) => write!(f, "feature {fid}: {}", self.reason),
            (None, None) => write!(f, "{}", self.reason),
        }
    }
}

/// The outcome of one import.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub target: String,
    pub path: String,
    pub layer: String,
    pub crs: String,
    pub dry_run: bool,
    /// Features read from the file (after `--where`).
    pub read: usize,
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Features whose geometry was repaired (they are also counted as inserted/updated/unchanged).
    pub repaired: usize,
    /// Features not imported.
    pub rejected: usize,
    pub repairs: Vec<Issue>,
    pub rejections: Vec<Issue>,
    pub notes: Vec<String>,
    /// Unit imports: pairs of current units of the level that overlap (codes, km²), slivers left out.
    pub overlaps: Vec<(String, String, f64)>,
    /// Unit imports: per changed boundary, (code, km² lost, km² gained) against the previous version.
    pub area_changes: Vec<(String, f64, f64)>,
    /// `import_run.id` (rolled back with a dry run).
    pub run_id: Option<i64>,
    pub elapsed: Duration,
}

/// How many repairs/rejections are printed; all are stored in `import_run.report`.
pub const PRINTED_ISSUES: usize = 20;

impl Summary {
    /// One line, for logs.
    pub fn line(&self) -> String {
        format!(
            "{} as {}: {} in {:.1} s",
            self.path,
            self.target,
            self.counts(", "),
            self.elapsed.as_secs_f64()
        )
    }

    /// `read N`, `inserted N`… joined by `sep` (the line of the logs and of the CLI).
    fn counts(&self, sep: &str) -> String {
        [
            ("read", self.read),
            ("inserted", self.inserted),
            ("updated", self.updated),
            ("unchanged", self.unchanged),
            ("repaired", self.repaired),
            ("rejected", self.rejected),
        ]
        .map(|(what, n)| format!("{what} {n}"))
        .join(sep)
    }

    /// Features were read and every one of them was rejected: the run imported nothing.
    pub fn all_rejected(&self) -> bool {
        self.read > 0 && self.rejected > 0 && self.inserted + self.updated + self.unchanged == 0
    }

    /// The `import_run.report` value: every repair, rejection and note.
    pub fn report(&self) -> serde_json::Value {
        let issue = |kind: &str, i: &Issue| json!({"kind": kind, "fid": i.fid, "id": i.id, "reason": i.reason});
        let mut out: Vec<serde_json::Value> = Vec::new();
        out.extend(self.repairs.iter().map(|i| issue("repaired", i)));
        out.extend(self.rejections.iter().map(|i| issue("rejected", i)));
        out.extend(
            self.notes
                .iter()
                .map(|n| json!({"kind": "note", "reason": n})),
        );
        serde_json::Value::Array(out)
    }

    /// Record the run in `import_run`.
    pub(crate) async fn record(&mut self, conn: &mut PgConnection) -> Result<(), sqlx::Error> {
        let n = |v: usize| i32::try_from(v).unwrap_or(i32::MAX);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO import_run (target, path, layer, read, inserted, updated, unchanged, repaired, rejected, report) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(&self.target)
        .bind(&self.path)
        .bind(&self.layer)
        .bind(n(self.read))
        .bind(n(self.inserted))
        .bind(n(self.updated))
        .bind(n(self.unchanged))
        .bind(n(self.repaired))
        .bind(n(self.rejected))
        .bind(self.report())
        .fetch_one(conn)
        .await?;
        self.run_id = Some(id);
        Ok(())
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}{} → {} (layer {}, {})",
            if self.dry_run {
                "DRY RUN, nothing written: "
            } else {
                ""
            },
            self.path,
            self.target,
            self.layer,
            self.crs
        )?;
        writeln!(
            f,
            "  {}  ({:.1} s)",
            self.counts("  "),
            self.elapsed.as_secs_f64()
        )?;
        for (title, list) in [("repaired", &self.repairs), ("rejected", &self.rejections)] {
            if list.is_empty() {
                continue;
            }
            writeln!(f, "  {title}:")?;
            for i in list.iter().take(PRINTED_ISSUES) {
                writeln!(f, "    - {i}")?;
            }
            if list.len() > PRINTED_ISSUES {
                let more = list.len() - PRINTED_ISSUES;
                match self.run_id {
                    Some(id) => {
                        writeln!(f, "    … and {more} more (all in import_run {id}'s report)")?
                    }
                    None => writeln!(f, "    … and {more} more")?,
                }
            }
        }
        for n in self.notes.iter().take(PRINTED_ISSUES) {
            writeln!(f, "  note: {n}")?;
        }
        if self.notes.len() > PRINTED_ISSUES {
            writeln!(
                f,
                "  … and {} more notes",
                self.notes.len() - PRINTED_ISSUES
            )?;
        }
        Ok(())
    }
}
