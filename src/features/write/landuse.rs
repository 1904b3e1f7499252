//! Writes on `landuse` (zones of zoning plans): admins only. The ETag is a digest of the row.
use sqlx::{PgPool, QueryBuilder};

use super::sql::{self, columns, constraint, push_val, Val, LANDUSE_COLUMNS, LANDUSE_READ_ONLY};
use super::{Current, Input};
use crate::features::scope::Who;
use crate::features::{FResult, FeaturesError};
use crate::layers::Layer;

const TYPES: &[&str] = &["POLYGON", "MULTIPOLYGON"];

fn parse_id(fid: &str) -> FResult<i64> {
    fid.parse()
        .map_err(|_| FeaturesError::NoFeature("landuse", fid.to_string()))
}

async fn etag(pool: &PgPool, id: i64) -> FResult<Option<String>> {
    sqlx::query_scalar("SELECT md5(t::text) FROM landuse_zone t WHERE t.id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
        .map_err(FeaturesError::db("reading the land-use zone tag"))
}

pub async fn current(pool: &PgPool, c: &Layer, fid: &str, who: &Who) -> FResult<Current> {
    let id = parse_id(fid)?;
    let etag = etag(pool, id)
        .await?
        .ok_or_else(|| FeaturesError::NoFeature(c.id, fid.to_string()))?;
    Ok(Current {
        etag,
        may_edit: matches!(who, Who::Admin { .. }),
    })
}

/// The layer named by the `layer` property (its latest version).
async fn layer_id(pool: &PgPool, input: &Input) -> FResult<Option<i64>> {
    match input.props.get("layer") {
        None => Ok(None),
        Some(v) => {
            let slug = v.as_str().unwrap_or_default();
            let id: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM landuse_layer WHERE slug = $1 ORDER BY version DESC LIMIT 1",
            )
            .bind(slug)
            .fetch_optional(pool)
            .await
            .map_err(FeaturesError::db("looking the land-use layer up"))?;
            match id {
                Some(id) => Ok(Some(id)),
                None => {
                    let known: Vec<String> =
                        sqlx::query_scalar("SELECT DISTINCT slug FROM landuse_layer ORDER BY 1")
                            .fetch_all(pool)
                            .await
                            .map_err(FeaturesError::db("listing the land-use layers"))?;
                    Err(FeaturesError::Invalid(format!(
                        "layer `{v}` does not exist; layers: {}",
                        known.join(", ")
                    )))
                }
            }
        }
    }
}

async fn check_class(pool: &PgPool, cols: &[(&str, Val)]) -> FResult<()> {
    for (name, v) in cols {
        match (*name, v) {
            ("class", Val::Text(c)) => {
                let known: Vec<String> =
                    sqlx::query_scalar("SELECT class FROM landuse_class ORDER BY class")
                        .fetch_all(pool)
                        .await
                        .map_err(FeaturesError::db("listing the land-use classes"))?;
                if !known.contains(c) {
                    return Err(FeaturesError::Invalid(format!(
                        "class `{c}` is not one of: {}",
                        known.join(", ")
                    )));
                }
            }
            ("class" | "zone_code" | "source_id", Val::Null) => {
                return Err(FeaturesError::Invalid(format!("{name} cannot be empty")))
            }
            _ => {}
        }
    }
    Ok(())
}

pub async fn create(pool: &PgPool, who: &Who, input: Input) -> FResult<(String, String)> {
    let mut cols = columns(&input.props, LANDUSE_COLUMNS, LANDUSE_READ_ONLY, &["layer"])?;
    let layer = layer_id(pool, &input).await?.ok_or_else(|| {
        FeaturesError::Invalid("property `layer` (a land-use layer slug) is required".into())
    })?;
    for required in ["zone_code", "class"] {
        if !cols.iter().any(|(n, _)| *n == required) {
            return Err(FeaturesError::Invalid(format!(
                "property `{required}` is required"
            )));
        }
    }
    check_class(pool, &cols).await?;
    let Some(Some(g)) = &input.geometry else {
        return Err(FeaturesError::Invalid(
            "a land-use zone needs a Polygon or MultiPolygon geometry".into(),
        ));
    };
    let mut tx = crate::projects::rules::write_tx(pool)
        .await
        .map_err(FeaturesError::db("starting a land-use write"))?;
    sql::check_geometry(&mut tx, g, input.crs, TYPES).await?;
    let id: i64 =
        sqlx::query_scalar("SELECT nextval(pg_get_serial_sequence('landuse_zone', 'id'))")
            .fetch_one(&mut *tx)
            .await
            .map_err(FeaturesError::db("allocating a land-use zone id"))?;
    if !cols.iter().any(|(n, _)| *n == "source_id") {
        cols.push(("source_id", Val::Text(format!("api-{id}"))));
    }
    let mut qb = QueryBuilder::new("INSERT INTO landuse_zone (id, layer_id, geom");
    for (name, _) in &cols {
        qb.push(", ").push(*name);
    }
    qb.push(") VALUES (")
        .push_bind(id)
        .push(", ")
        .push_bind(layer)
        .push(", ST_Multi(");
    sql::push_geom_in(&mut qb, g, input.crs);
    qb.push(")");
    for (_, v) in &cols {
        qb.push(", ");
        push_val(&mut qb, v);
    }
    qb.push(")");
    qb.build()
        .execute(&mut *tx)
        .await
        .map_err(constraint("inserting a land-use zone"))?;
    crate::projects::rules::commit(tx)
        .await
        .map_err(FeaturesError::db("committing a new land-use zone"))?;
    tracing::info!(zone = id, author = %who.author(), "land-use zone created through OGC API");
    let tag = etag(pool, id).await?.unwrap_or_default();
    Ok((id.to_string(), tag))
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
    let mut cols = columns(&input.props, LANDUSE_COLUMNS, LANDUSE_READ_ONLY, &["layer"])?;
    if !patch {
        for (name, _) in LANDUSE_COLUMNS {
            if !cols.iter().any(|(n, _)| n == name)
                && !matches!(*name, "source_id" | "zone_code" | "class")
            {
                cols.push((name, Val::Null));
            }
        }
    }
    check_class(pool, &cols).await?;
    let layer = layer_id(pool, &input).await?;
    let geometry = match (&input.geometry, patch) {
        (Some(Some(g)), _) => Some(g.clone()),
        (Some(None), _) | (None, false) => {
            return Err(FeaturesError::Invalid(
                "a land-use zone cannot lose its geometry".into(),
            ))
        }
        (None, true) => None,
    };
    let mut tx = crate::projects::rules::write_tx(pool)
        .await
        .map_err(FeaturesError::db("starting a land-use update"))?;
    let now: Option<String> =
        sqlx::query_scalar("SELECT md5(t::text) FROM landuse_zone t WHERE t.id = $1 FOR UPDATE")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(FeaturesError::db("locking the land-use zone to update"))?;
    if now.as_deref() != Some(expected) {
        return Err(FeaturesError::Stale(
            "the feature changed while this request was checked; GET it again".into(),
        ));
    }
    let mut qb = QueryBuilder::new("UPDATE landuse_zone SET id = id");
    if let Some(g) = &geometry {
        sql::check_geometry(&mut tx, g, input.crs, TYPES).await?;
        qb.push(", geom = ST_Multi(");
        sql::push_geom_in(&mut qb, g, input.crs);
        qb.push(")");
    }
    if let Some(layer) = layer {
        qb.push(", layer_id = ").push_bind(layer);
    }
    for (name, v) in &cols {
        qb.push(", ").push(*name).push(" = ");
        push_val(&mut qb, v);
    }
    qb.push(" WHERE id = ").push_bind(id);
    qb.build()
        .execute(&mut *tx)
        .await
        .map_err(constraint("updating a land-use zone"))?;
    crate::projects::rules::commit(tx)
        .await
        .map_err(FeaturesError::db("committing a land-use update"))?;
    tracing::info!(zone = id, author = %who.author(), "land-use zone changed through OGC API");
    etag(pool, id).await
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
        .map_err(FeaturesError::db("starting a land-use delete"))?;
    let now: Option<String> =
        sqlx::query_scalar("SELECT md5(t::text) FROM landuse_zone t WHERE t.id = $1 FOR UPDATE")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(FeaturesError::db("locking the land-use zone to delete"))?;
    if now.as_deref() != Some(expected) {
        return Err(FeaturesError::Stale(
            "the feature changed while this request was checked; GET it again".into(),
        ));
    }
    sqlx::query("DELETE FROM landuse_zone WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(FeaturesError::db("deleting a land-use zone"))?;
    crate::projects::rules::commit(tx)
        .await
        .map_err(FeaturesError::db("committing a land-use delete"))?;
    tracing::info!(zone = id, author = %who.author(), "land-use zone deleted through OGC API");
    Ok(None)
}
