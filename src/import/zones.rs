//! Participation zones of one commune (`--as zones --municipality CODE`), one polygon each, by
//! code: new ones inserted, changed ones updated, the others left as they are. Fields: `code`
//! (required), `name_ar`, `name_fr`, `population` (optional: without it, scenarios apportion the
//! commune's population by area; docs/participation.md).
use sqlx::PgConnection;

use super::{
    keyed::{self, Keyed},
    stage::Want,
    Batch, Ctx, ImportError, Written,
};

const TARGET: Keyed = Keyed {
    key: ("code", "missing code: every zone needs a code unique in its commune (map it with --field code=FIELD)"),
    what: "zone code",
    want: Want::Polygon,
    writing: "writing participation zones",
    sql: include_str!("sql/zones.sql"),
    check: |_| None,
};

pub(super) async fn write(
    conn: &mut PgConnection,
    ctx: &Ctx<'_>,
    batch: Batch<'_>,
) -> Result<Written, ImportError> {
    let Some(municipality) = ctx.args.municipality.clone() else {
        return Err(ImportError::Args(
            "--as zones needs --municipality CODE, the official code of the commune the zones divide (e.g. --municipality 1111)".into(),
        ));
    };
    let exists: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM admin_unit_current WHERE level = 'municipality' AND code = $1)",
    )
    .bind(&municipality)
    .fetch_one(&mut *conn)
    .await?;
    if !exists {
        return Err(ImportError::Args(format!(
            "--municipality {municipality}: no current municipality has this code; import the municipalities first"
        )));
    }
    keyed::write(conn, ctx, batch, &TARGET, &[&municipality]).await
}
