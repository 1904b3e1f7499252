//! Writes on `landuse` (zones of zoning plans): admins only. The ETag is a digest of the row.
use sqlx::{PgPool, QueryBuilder};

use super::area::Area;
use super::known::{known, one_of};
use super::new_row::NewRow;
use super::sql::{self, columns, Val, LANDUSE_COLUMNS, LANDUSE_READ_ONLY};
use super::{Current, Input, Target};
use crate::auth::Caller;
use crate::features::{FResult, FeaturesError};
use crate::layers::Layer;

const AREA: Area = Area {
    table: "landuse_zone",
    what: "land-use zone",
};

const NEW_ROW: NewRow = NewRow {
    table: "landuse_zone",
    key: "source_id",
    label: |id| format!("api-{id}"),
    what: "inserting a land-use zone",
};

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

pub async fn current(pool: &PgPool, c: &Layer, fid: &str, who: &Caller) -> FResult<Current> {
    let id = parse_id(fid)?;
    let etag = etag(pool, id)
        .await?
        .ok_or_else(|| FeaturesError::NoFeature(c.id, fid.to_string()))?;
    Ok(Current {
        etag,
        may_edit: matches!(who, Caller::Admin { .. }),
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
                    let known = known(
                        pool,
                        "SELECT DISTINCT slug FROM landuse_layer ORDER BY 1",
                        "listing the land-use layers",
                    )
                    .await?;
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
                one_of(
                    pool,
                    ("class", c),
                    "SELECT class FROM landuse_class ORDER BY class",
                    "listing the land-use classes",
                )
                .await?
            }
            ("class" | "zone_code" | "source_id", Val::Null) => {
                return Err(FeaturesError::Invalid(format!("{name} cannot be empty")))
            }
            _ => {}
        }
    }
    Ok(())
}

/// The zone's columns in the input (`layer`, a slug, is read apart).
fn zone_columns(input: &Input) -> FResult<Vec<(&'static str, Val)>> {
    columns(
        &input.props,
        &LANDUSE_COLUMNS,
        LANDUSE_READ_ONLY,
        &["layer"],
    )
}

pub async fn create(pool: &PgPool, who: &Caller, input: Input) -> FResult<(String, String)> {
    let mut cols = zone_columns(&input)?;
    let layer = layer_id(pool, &input).await?.ok_or_else(|| {
        FeaturesError::Invalid("property `layer` (a land-use layer slug) is required".into())
    })?;
    sql::require(&cols, &["zone_code", "class"])?;
    check_class(pool, &cols).await?;
    let g = AREA.new_geometry(&input)?;
    let mut tx = AREA.begin(pool).await?;
    AREA.check(&mut tx, g, &input).await?;
    let id = NEW_ROW.id(&mut tx, &mut cols).await?;
    let mut qb = QueryBuilder::new("INSERT INTO landuse_zone (id, layer_id, geom");
    sql::push_names(&mut qb, &cols);
    qb.push(") VALUES (")
        .push_bind(id)
        .push(", ")
        .push_bind(layer)
        .push(", ST_Multi(");
    sql::push_geom_in(&mut qb, g, input.crs);
    qb.push(")");
    NEW_ROW.insert(&mut tx, qb, &cols).await?;
    AREA.commit(tx, who, id, "created").await?;
    let tag = etag(pool, id).await?.unwrap_or_default();
    Ok((id.to_string(), tag))
}

pub async fn update(t: &Target<'_>, input: Input, patch: bool) -> FResult<Option<String>> {
    let id = parse_id(t.fid)?;
    let mut cols = zone_columns(&input)?;
    if !patch {
        sql::empty_missing(
            &mut cols,
            &LANDUSE_COLUMNS,
            &["source_id", "zone_code", "class"],
        );
    }
    check_class(t.pool, &cols).await?;
    if let Some(layer) = layer_id(t.pool, &input).await? {
        cols.push(("layer_id", Val::Int(layer)));
    }
    let geometry = AREA.changed_geometry(&input, patch)?;
    AREA.update(t.pool, t.who, id, t.expected, &input, geometry, &cols)
        .await?;
    etag(t.pool, id).await
}

pub async fn delete(t: &Target<'_>) -> FResult<Option<String>> {
    AREA.delete(t.pool, t.who, parse_id(t.fid)?, t.expected)
        .await?;
    Ok(None)
}
