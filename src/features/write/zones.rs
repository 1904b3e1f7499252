//! Writes on `participation-zones` (docs/participation.md): admins, and planners whose key scope
//! holds the zone's commune (before and after the change). The ETag is a digest of the row.
//! Moderation of proposals is not here: it stays on `/api/participation`.
use sqlx::{PgPool, QueryBuilder};

use super::area::Area;
use super::sql::{self, columns, constraint, Col, Val};
use super::{Current, Input, Target};
use crate::auth::Caller;
use crate::features::{FResult, FeaturesError};

const AREA: Area = Area {
    table: "participation_zone",
    what: "participation zone",
};
const ID: &str = "participation-zones";

const COLUMNS: &[(&str, Col)] = &[
    ("municipality_code", Col::Text),
    ("code", Col::Text),
    ("name_ar", Col::Text),
    ("name_fr", Col::Text),
    ("population", Col::Int),
    ("source", Col::Text),
];
const READ_ONLY: &[&str] = &["id"];

fn parse_id(fid: &str) -> FResult<i64> {
    fid.parse()
        .map_err(|_| FeaturesError::NoFeature(ID, fid.to_string()))
}

/// May `who` write zones of commune `code`?
fn may_write(who: &Caller, code: &str) -> bool {
    match who {
        Caller::Admin { .. } => true,
        Caller::Planner { municipalities, .. } => municipalities.iter().any(|m| m == code),
        _ => false,
    }
}

async fn row(pool: &PgPool, id: i64) -> FResult<Option<(String, String)>> {
    sqlx::query_as(include_str!("sql_zones/zone_etag.sql"))
        .bind(id)
        .fetch_optional(pool)
        .await
        .map_err(FeaturesError::db("reading the participation zone tag"))
}

pub async fn current(pool: &PgPool, fid: &str, who: &Caller) -> FResult<Current> {
    let id = parse_id(fid)?;
    let (etag, commune) = row(pool, id)
        .await?
        .ok_or_else(|| FeaturesError::NoFeature(ID, fid.to_string()))?;
    Ok(Current {
        etag,
        may_edit: may_write(who, &commune),
    })
}

/// The commune a write sets, checked against the caller's scope.
fn check_commune(who: &Caller, cols: &[(&str, Val)]) -> FResult<()> {
    for (name, v) in cols {
        match (*name, v) {
            ("municipality_code", Val::Text(m)) if !may_write(who, m) => {
                return Err(FeaturesError::Forbidden(format!(
                    "this key may not write participation zones of municipality {m}"
                )))
            }
            ("municipality_code" | "code", Val::Null) => {
                return Err(FeaturesError::Invalid(format!("{name} cannot be empty")))
            }
            _ => {}
        }
    }
    Ok(())
}

pub async fn create(pool: &PgPool, who: &Caller, input: Input) -> FResult<(String, String)> {
    let cols = columns(&input.props, COLUMNS, READ_ONLY, &[])?;
    sql::require(&cols, &["municipality_code", "code"])?;
    check_commune(who, &cols)?;
    let g = AREA.new_geometry(&input)?;
    let mut tx = AREA.begin(pool).await?;
    AREA.check(&mut tx, g, &input).await?;
    let mut qb = QueryBuilder::new("INSERT INTO participation_zone (geom");
    sql::push_names(&mut qb, &cols);
    qb.push(") VALUES (ST_Multi(");
    sql::push_geom_in(&mut qb, g, input.crs);
    qb.push(")");
    sql::push_values(&mut qb, &cols);
    qb.push(") RETURNING id");
    let id: i64 = qb
        .build_query_scalar()
        .fetch_one(&mut *tx)
        .await
        .map_err(constraint("inserting a participation zone"))?;
    AREA.commit(tx, who, id, "created").await?;
    let tag = row(pool, id).await?.map(|r| r.0).unwrap_or_default();
    Ok((id.to_string(), tag))
}

pub async fn update(t: &Target<'_>, input: Input, patch: bool) -> FResult<Option<String>> {
    let id = parse_id(t.fid)?;
    let mut cols = columns(&input.props, COLUMNS, READ_ONLY, &[])?;
    if !patch {
        sql::empty_missing(&mut cols, COLUMNS, &["municipality_code", "code"]);
    }
    check_commune(t.who, &cols)?;
    let geometry = AREA.changed_geometry(&input, patch)?;
    AREA.update(t.pool, t.who, id, t.expected, &input, geometry, &cols)
        .await?;
    Ok(row(t.pool, id).await?.map(|r| r.0))
}

pub async fn delete(t: &Target<'_>) -> FResult<Option<String>> {
    AREA.delete(t.pool, t.who, parse_id(t.fid)?, t.expected)
        .await?;
    Ok(None)
}
