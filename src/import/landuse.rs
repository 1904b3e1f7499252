//! Land-use layers (zoning plans, constraint layers, perimeters) and their zones.
//!
//! A layer is identified by its slug. Re-importing the same slug updates the zones of the current
//! version in place (by source id; idempotent). A new version of the layer (version + 1, all its
//! zones inserted anew, the old version kept) is started by `--new-version`, or by `--approved-on`
//! with a date different from the current version's (a revised plan). Zones of the layer that are
//! not in the file are left as they are.
use chrono::NaiveDate;
use sqlx::PgConnection;

use super::{
    stage::{self, Want},
    Batch, Ctx, ImportError, LanduseKind, Summary, Written,
};

// size: the land-use import in transaction order (check, stage, upsert, count); each step reads the last
pub(super) async fn write(
    conn: &mut PgConnection,
    ctx: &Ctx<'_>,
    batch: Batch<'_>,
) -> Result<Written, ImportError> {
    let args = ctx.args;
    let classes: Vec<String> = sqlx::query_scalar("SELECT class FROM landuse_class ORDER BY class")
        .fetch_all(&mut *conn)
        .await?;
    let mut rows = Vec::with_capacity(batch.candidates.len());
    for mut c in batch.candidates {
        let id = match (c.str("id"), c.fid) {
            (Some(id), _) => id.to_string(),
            (None, Some(fid)) => fid.to_string(),
            (None, None) => {
                batch.summary.rejections.push(c.issue(
                    None,
                    "missing id and the file has no feature ids (map one with --field id=FIELD)",
                ));
                continue;
            }
        };
        if c.str("zone_code").is_none() {
            batch.summary.rejections.push(c.issue(Some(&id), "missing zone_code (the plan's local zone code, e.g. UA; map it with --field zone_code=FIELD)"));
            continue;
        }
        match c.str("class") {
            Some(k) if classes.iter().any(|x| x == k) => {}
            other => {
                let reason = match other {
                    Some(k) => format!(
                        "class {k:?} is not a land-use class; allowed: {}",
                        classes.join(", ")
                    ),
                    None => format!("missing class; allowed: {}", classes.join(", ")),
                };
                batch.summary.rejections.push(c.issue(Some(&id), reason));
                continue;
            }
        }
        if c.str("municipality_code").is_none() {
            if let Some(m) = &args.municipality {
                c.data.insert("municipality_code".into(), m.clone().into());
            }
        }
        rows.push(c.into_row(id));
    }
    let accepted = stage::load_keyed(
        conn,
        ctx,
        rows,
        "id",
        Want::Polygon,
        batch.summary,
        "writing zones",
    )
    .await?;
    let (layer_id, fresh) = layer(conn, ctx, batch.summary).await?;
    let mut mapped: Vec<&str> = ctx.mapped.clone();
    if args.municipality.is_some() {
        mapped.push("municipality_code");
    }
    let written: Vec<bool> = sqlx::query_scalar(include_str!("sql/landuse_zones.sql"))
        .bind(layer_id)
        .bind(&mapped)
        .fetch_all(&mut *conn)
        .await?;
    if !fresh {
        let others: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM landuse_zone z WHERE z.layer_id = $1 \
             AND NOT EXISTS (SELECT 1 FROM mk_stage s WHERE s.reject IS NULL AND s.key = z.source_id)",
        )
        .bind(layer_id)
        .fetch_one(&mut *conn)
        .await?;
        if others > 0 {
            batch.summary.notes.push(format!(
                "{others} zones of this layer version are not in the file; they were left as they are"
            ));
        }
    }
    Ok(Written::counted(accepted, &written))
}

/// The layer version to write into: the current one, or a new one. Returns (id, is new).
async fn layer(
    conn: &mut PgConnection,
    ctx: &Ctx<'_>,
    summary: &mut Summary,
) -> Result<(i64, bool), ImportError> {
    let args = ctx.args;
    let slug = args.landuse_slug.clone().unwrap_or_default();
    let kind = args.landuse_kind.map(LanduseKind::as_str);
    type Current = (i64, i32, Option<NaiveDate>, String, String, Option<String>);
    let current: Option<Current> = sqlx::query_as(
        "SELECT id, version, approved_on, name, kind, municipality_code FROM landuse_layer \
         WHERE slug = $1 ORDER BY version DESC LIMIT 1",
    )
    .bind(&slug)
    .fetch_optional(&mut *conn)
    .await?;
    let new_version = match &current {
        None => Some(1),
        Some((_, v, approved, ..)) => {
            let revised = matches!((approved, args.approval()), (Some(a), Some(b)) if *a != b);
            (args.new_version || revised).then_some(v + 1)
        }
    };
    match (current, new_version) {
        (Some((id, version, ..)), None) => {
            let changed: Option<i64> =
                sqlx::query_scalar(include_str!("sql/landuse_layer_update.sql"))
                    .bind(id)
                    .bind(&args.landuse_name)
                    .bind(kind)
                    .bind(&args.municipality)
                    .bind(args.approval())
                    .bind(&ctx.source)
                    .fetch_optional(&mut *conn)
                    .await?;
            if changed.is_some() {
                summary.notes.push(format!(
                    "land-use layer {slug} version {version}: description updated"
                ));
            }
            Ok((id, false))
        }
        (previous, version) => {
            let version = version.unwrap_or(1);
            let (name, prev_kind, municipality) = match previous {
                Some((_, _, _, n, k, m)) => (Some(n), Some(k), m),
                None => (None, None, None),
            };
            let id: i64 = sqlx::query_scalar(include_str!("sql/landuse_layer_insert.sql"))
                .bind(&slug)
                .bind(
                    args.landuse_name
                        .clone()
                        .or(name)
                        .unwrap_or_else(|| slug.clone()),
                )
                .bind(
                    kind.map(str::to_string)
                        .or(prev_kind)
                        .unwrap_or_else(|| "zoning_plan".into()),
                )
                .bind(args.municipality.clone().or(municipality))
                .bind(version)
                .bind(args.approval())
                .bind(&ctx.source)
                .fetch_one(&mut *conn)
                .await?;
            summary.notes.push(format!(
                "land-use layer {slug}: version {version} created{}",
                if version > 1 {
                    "; earlier versions are kept"
                } else {
                    ""
                }
            ));
            Ok((id, true))
        }
    }
}
