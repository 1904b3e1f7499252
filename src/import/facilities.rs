//! Facilities (schools, health, administration, post, police…), one point each, by source id.
use sqlx::PgConnection;

use super::{
    stage::{self, Want},
    Batch, Candidate, Ctx, ImportError, Written,
};

use crate::layers::facilities::KINDS;

pub(super) async fn write(
    conn: &mut PgConnection,
    ctx: &Ctx<'_>,
    batch: Batch<'_>,
) -> Result<Written, ImportError> {
    let missing = "missing id: every facility needs a stable source id, e.g. osm:node/123 (map it with --field id=FIELD)";
    let rows = Candidate::keyed_rows(
        batch.candidates,
        ("id", missing),
        &mut batch.summary.rejections,
        |c| match c.str("kind") {
            Some(k) if KINDS.contains(&k) => None,
            Some(k) => Some(format!("kind {k:?} is not one of {}", KINDS.join(", "))),
            None => Some(format!("missing kind (one of {})", KINDS.join(", "))),
        },
    );
    let accepted = stage::load_keyed(
        conn,
        ctx,
        rows,
        "id",
        Want::Point,
        batch.summary,
        "writing facilities",
    )
    .await?;
    let written: Vec<bool> = sqlx::query_scalar(include_str!("sql/facilities.sql"))
        .bind(&ctx.source)
        .bind(&ctx.mapped)
        .fetch_all(&mut *conn)
        .await?;
    Ok(Written::counted(accepted, &written))
}
