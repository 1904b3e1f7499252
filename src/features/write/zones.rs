//! Writes on `participation-zones` (docs/participation.md): admins, and planners whose key scope
//! holds the zone's commune (before and after the change). The ETag is a digest of the row.
//! Moderation of proposals is not here: it stays on `/api/participation`.
use sqlx::{PgPool, QueryBuilder};

use super::sql::{self, columns, constraint, push_val, Col, Val};
use super::{Current, Input};
use crate::features::scope::Who;
use crate::features::{FResult, FeaturesError};

const TYPES: &[&str] = &["POLYGON", "MULTIPOLYGON"];
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
fn may_write(who: &Who, code: &str) -> bool {
    match who {
        Who::Admin { .. } => true,
        Who::Planner { municipalities, .. } => municipalities.iter().any(|m| m == code),
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

pub async fn current(pool: &PgPool, fid: &str, who: &Who) -> FResult<Current> {
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
fn check_commune(who: &Who, cols: &[(&str, Val)]) -> FResult<()> {
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

pub async fn create(pool: &PgPool, who: &Who, input: Input) -> FResult<(String, String)> {
    let cols = columns(&input.props, COLUMNS, READ_ONLY, &[])?;
    for required in ["municipality_code", "code"] {
        if !cols.iter().any(|(n, _)| *n == required) {
            return Err(FeaturesError::Invalid(format!(
                "property `{required}` is required"
            )));
        }
    }
    check_commune(who, &cols)?;
    let Some(Some(g)) = &input.geometry else {
        return Err(FeaturesError::Invalid(
            "a participation zone needs a Polygon or MultiPolygon geometry".into(),
        ));
    };
    let mut tx = crate::projects::rules::write_tx(pool)
        .await
        .map_err(FeaturesError::db("starting a zone write"))?;
    sql::check_geometry(&mut tx, g, input.crs, TYPES).await?;
    let mut qb = QueryBuilder::new("INSERT INTO participation_zone (geom");
    for (name, _) in &cols {
        qb.push(", ").push(*name);
    }
    qb.push(") VALUES (ST_Multi(");
    sql::push_geom_in(&mut qb, g, input.crs);
    qb.push(")");
    for (_, v) in &cols {
        qb.push(", ");
        push_val(&mut qb, v);
    }
    qb.push(") RETURNING id");
    let id: i64 = qb
        .build_query_scalar()
        .fetch_one(&mut *tx)
        .await
        .map_err(constraint("inserting a participation zone"))?;
    crate::projects::rules::commit(tx)
        .await
        .map_err(FeaturesError::db("committing a new participation zone"))?;
    tracing::info!(zone = id, author = %who.author(), "participation zone created through OGC API");
    let tag = row(pool, id).await?.map(|r| r.0).unwrap_or_default();
    Ok((id.to_string(), tag))
}

/// Lock the zone and check it is still the version the caller read.
async fn lock(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    id: i64,
    expected: &str,
) -> FResult<()> {
    let now: Option<String> = sqlx::query_scalar(include_str!("sql_zones/zone_lock.sql"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(FeaturesError::db("locking the participation zone"))?;
    if now.as_deref() != Some(expected) {
        return Err(FeaturesError::Stale(
            "the feature changed while this request was checked; GET it again".into(),
        ));
    }
    Ok(())
}

pub async fn update(
    pool: &PgPool,
    who: &Who,
    fid: &str,
    expected: &str,
    input: Input,
    patch: bool,
) -> FResult<Option<String>> {
    let id = parse_id(fid)?;
    let mut cols = columns(&input.props, COLUMNS, READ_ONLY, &[])?;
    if !patch {
        for (name, _) in COLUMNS {
            if !cols.iter().any(|(n, _)| n == name)
                && !matches!(*name, "municipality_code" | "code")
            {
                cols.push((name, Val::Null));
            }
        }
    }
    check_commune(who, &cols)?;
    let geometry = match (&input.geometry, patch) {
        (Some(Some(g)), _) => Some(g.clone()),
        (Some(None), _) | (None, false) => {
            return Err(FeaturesError::Invalid(
                "a participation zone cannot lose its geometry".into(),
            ))
        }
        (None, true) => None,
    };
    let mut tx = crate::projects::rules::write_tx(pool)
        .await
        .map_err(FeaturesError::db("starting a zone update"))?;
    lock(&mut tx, id, expected).await?;
    let mut qb = QueryBuilder::new("UPDATE participation_zone SET id = id");
    if let Some(g) = &geometry {
        sql::check_geometry(&mut tx, g, input.crs, TYPES).await?;
        qb.push(", geom = ST_Multi(");
        sql::push_geom_in(&mut qb, g, input.crs);
        qb.push(")");
    }
    for (name, v) in &cols {
        qb.push(", ").push(*name).push(" = ");
        push_val(&mut qb, v);
    }
    qb.push(" WHERE id = ").push_bind(id);
    qb.build()
        .execute(&mut *tx)
        .await
        .map_err(constraint("updating a participation zone"))?;
    crate::projects::rules::commit(tx)
        .await
        .map_err(FeaturesError::db("committing a zone update"))?;
    tracing::info!(zone = id, author = %who.author(), "participation zone changed through OGC API");
    Ok(row(pool, id).await?.map(|r| r.0))
}

pub async fn delete(
    pool: &PgPool,
    who: &Who,
    fid: &str,
    expected: &str,
) -> FResult<Option<String>> {
    let id = parse_id(fid)?;
    let mut tx = crate::projects::rules::write_tx(pool)
        .await
        .map_err(FeaturesError::db("starting a zone delete"))?;
    lock(&mut tx, id, expected).await?;
    sqlx::query(include_str!("sql_zones/zone_delete.sql"))
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(constraint("deleting a participation zone"))?;
    crate::projects::rules::commit(tx)
        .await
        .map_err(FeaturesError::db("committing a zone delete"))?;
    tracing::info!(zone = id, author = %who.author(), "participation zone deleted through OGC API");
    Ok(None)
}
