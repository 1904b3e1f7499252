//! The staging table: rows are bound as arrays (UNNEST) in a few batches, then their geometries
//! are checked and repaired in the database, set-based. Targets then write with INSERT … SELECT.
use indicatif::ProgressBar;
use serde_json::{Map, Value};
use sqlx::PgConnection;

use super::{dedupe, summary::Issue, Ctx, ImportError, Summary};

/// The geometry a target accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    Polygon,
    Point,
    Any,
}

impl Want {
    fn as_str(self) -> &'static str {
        match self {
            Want::Polygon => "polygon",
            Want::Point => "point",
            Want::Any => "any",
        }
    }
}

/// A feature that passed the attribute checks, ready to stage.
#[derive(Debug, Clone)]
pub struct Row {
    pub fid: Option<i64>,
    /// The target's identifier: unique among the rows.
    pub key: String,
    pub data: Map<String, Value>,
    pub attrs: Map<String, Value>,
    pub wkb: Option<Vec<u8>>,
}

impl Row {
    pub fn issue(&self, reason: impl Into<String>) -> Issue {
        Issue {
            fid: self.fid,
            id: Some(self.key.clone()),
            reason: reason.into(),
        }
    }
}

/// What the geometry check made of the staged rows.
#[derive(Debug, Default)]
pub struct Checked {
    /// Indexes (into the staged rows) of rows that are written.
    pub accepted: Vec<usize>,
    pub repairs: Vec<Issue>,
    pub rejections: Vec<Issue>,
}

const BATCH: usize = 500;

/// The common path of a target: keep the first row of each key (`what` names the key in the
/// rejections), stage and check the rows, record the repairs and rejections in `summary`, then
/// show `writing` on the progress bar. Returns how many rows were accepted.
pub async fn load_keyed(
    conn: &mut PgConnection,
    ctx: &Ctx<'_>,
    rows: Vec<Row>,
    what: &str,
    want: Want,
    summary: &mut Summary,
    writing: &'static str,
) -> Result<usize, ImportError> {
    let rows = dedupe(rows, what, &mut summary.rejections);
    let checked = load(conn, &rows, want, &ctx.bar).await?;
    summary.repairs.extend(checked.repairs);
    summary.rejections.extend(checked.rejections);
    ctx.bar.set_message(writing);
    Ok(checked.accepted.len())
}

/// Load `rows` into `mk_stage` and check their geometries. Rows keep their index as `ord`.
pub async fn load(
    conn: &mut PgConnection,
    rows: &[Row],
    want: Want,
    bar: &ProgressBar,
) -> Result<Checked, ImportError> {
    sqlx::raw_sql(include_str!("sql/stage_create.sql"))
        .execute(&mut *conn)
        .await?;
    sqlx::raw_sql(include_str!("sql/geom_fn.sql"))
        .execute(&mut *conn)
        .await?;
    bar.set_length(rows.len() as u64 * 2);
    bar.set_position(0);
    bar.set_message("staging");
    for (b, chunk) in rows.chunks(BATCH).enumerate() {
        let start = b * BATCH;
        let ords: Vec<i32> = (start..start + chunk.len()).map(|i| i as i32).collect();
        let fids: Vec<Option<i64>> = chunk.iter().map(|r| r.fid).collect();
        let keys: Vec<&str> = chunk.iter().map(|r| r.key.as_str()).collect();
        let data: Vec<Value> = chunk
            .iter()
            .map(|r| Value::Object(r.data.clone()))
            .collect();
        let attrs: Vec<Value> = chunk
            .iter()
            .map(|r| Value::Object(r.attrs.clone()))
            .collect();
        let wkb: Vec<Option<&[u8]>> = chunk.iter().map(|r| r.wkb.as_deref()).collect();
        sqlx::query(include_str!("sql/stage_insert.sql"))
            .bind(&ords)
            .bind(&fids)
            .bind(&keys)
            .bind(&data)
            .bind(&attrs)
            .bind(&wkb)
            .execute(&mut *conn)
            .await?;
        bar.inc(chunk.len() as u64);
    }
    bar.set_message("checking geometries");
    for start in (0..rows.len()).step_by(BATCH / 2) {
        let end = (start + BATCH / 2).min(rows.len());
        sqlx::query(include_str!("sql/stage_check.sql"))
            .bind(want.as_str())
            .bind(start as i32)
            .bind(end as i32)
            .execute(&mut *conn)
            .await?;
        bar.inc((end - start) as u64);
    }
    sqlx::raw_sql("ANALYZE mk_stage")
        .execute(&mut *conn)
        .await?;

    let flagged: Vec<(i32, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT ord, repair, reject FROM mk_stage WHERE repair IS NOT NULL OR reject IS NOT NULL ORDER BY ord",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut checked = Checked::default();
    let mut rejected = vec![false; rows.len()];
    for (ord, repair, reject) in flagged {
        let Some(row) = rows.get(ord as usize) else {
            continue;
        };
        if let Some(reason) = reject {
            rejected[ord as usize] = true;
            checked.rejections.push(row.issue(reason));
        } else if let Some(reason) = repair {
            checked
                .repairs
                .push(row.issue(format!("{reason} (made valid)")));
        }
    }
    checked.accepted = (0..rows.len()).filter(|i| !rejected[*i]).collect();
    Ok(checked)
}
