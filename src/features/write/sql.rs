//! Part 4 SQL: project and land-use rows written from GeoJSON features. Columns come from the
//! allow-lists below; values are bound; geometry is parsed and transformed by PostGIS.
use std::sync::LazyLock;

use chrono::NaiveDate;
use serde_json::{Map, Value};
use sqlx::{Postgres, QueryBuilder, Transaction};

use crate::features::read::crs::Crs;
use crate::features::FeaturesError;
use crate::layers::{landuse::LANDUSE, projects::PROJECTS, Layer, PType};

/// A writable column and how to read its value from JSON.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Col {
    Text,
    Int,
    Num,
    Bool,
    Date,
}

/// The writable columns of `layer`: its properties that are a column of its row (`t.<name>`),
/// not `read_only`, typed by the registry (docs/layers.md): the registry says what a feature holds,
/// this only says which of it a client may write.
fn writable(layer: &Layer, read_only: &[&str]) -> Vec<(&'static str, Col)> {
    let col = |ty| match ty {
        PType::Str => Some(Col::Text),
        PType::Int => Some(Col::Int),
        PType::Num => Some(Col::Num),
        PType::Bool => Some(Col::Bool),
        PType::Date => Some(Col::Date),
        PType::DateTime => None,
    };
    layer
        .props
        .iter()
        .filter(|p| p.sql.strip_prefix("t.") == Some(p.name) && !read_only.contains(&p.name))
        .filter_map(|p| Some((p.name, col(p.ty)?)))
        .collect()
}

pub static PROJECT_COLUMNS: LazyLock<Vec<(&str, Col)>> =
    LazyLock::new(|| writable(&PROJECTS, PROJECT_READ_ONLY));
/// Shown in items but computed: ignored on input (QGIS sends back every field it has).
pub const PROJECT_READ_ONLY: &[&str] = &[
    "id",
    "status_fr",
    "status_ar",
    "status_en",
    "locations",
    "created_at",
    "updated_at",
    "revision",
];
/// Accepted on input and recorded as a progress report in the project's history.
pub const PROGRESS: &str = "physical_pct";

pub static LANDUSE_COLUMNS: LazyLock<Vec<(&str, Col)>> =
    LazyLock::new(|| writable(&LANDUSE, LANDUSE_READ_ONLY));
pub const LANDUSE_READ_ONLY: &[&str] = &["id", "layer_kind", "class_fr", "class_ar", "approved_on"];

#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Null,
    Text(String),
    Int(i64),
    Num(f64),
    Bool(bool),
    Date(NaiveDate),
}

fn invalid(m: String) -> FeaturesError {
    FeaturesError::Invalid(m)
}

/// Read one property value as the column's type.
pub fn read(name: &str, col: Col, v: &Value) -> Result<Val, FeaturesError> {
    let val = read_raw(name, col, v)?;
    match &val {
        Val::Text(t) if t.chars().count() > crate::guard::text_limit(name) => {
            Err(invalid(format!(
                "property `{name}` has {} characters; at most {} are accepted",
                t.chars().count(),
                crate::guard::text_limit(name)
            )))
        }
        Val::Num(f) if !f.is_finite() => Err(FeaturesError::BadParam(format!(
            "property `{name}`: {v} is not a finite number"
        ))),
        _ => Ok(val),
    }
}

fn read_raw(name: &str, col: Col, v: &Value) -> Result<Val, FeaturesError> {
    let bad = |what: &str| invalid(format!("property `{name}`: {v} is not {what}"));
    Ok(match (col, v) {
        (_, Value::Null) => Val::Null,
        (Col::Text, Value::String(s)) => {
            let s = s.trim();
            if s.is_empty() {
                Val::Null
            } else {
                Val::Text(s.to_string())
            }
        }
        (Col::Text, Value::Number(n)) => Val::Text(n.to_string()),
        (Col::Int, Value::Number(n)) => Val::Int(n.as_i64().ok_or_else(|| bad("a whole number"))?),
        (Col::Int, Value::String(s)) => {
            Val::Int(s.trim().parse().map_err(|_| bad("a whole number"))?)
        }
        (Col::Num, Value::Number(n)) => Val::Num(n.as_f64().ok_or_else(|| bad("a number"))?),
        (Col::Num, Value::String(s)) => Val::Num(s.trim().parse().map_err(|_| bad("a number"))?),
        (Col::Bool, Value::Bool(b)) => Val::Bool(*b),
        (Col::Bool, Value::Number(n)) if n.as_i64() == Some(0) || n.as_i64() == Some(1) => {
            Val::Bool(n.as_i64() == Some(1))
        }
        (Col::Bool, Value::String(s)) => match s.as_str() {
            "true" | "1" => Val::Bool(true),
            "false" | "0" => Val::Bool(false),
            _ => return Err(bad("true or false")),
        },
        (Col::Date, Value::String(s)) => {
            let day = s.get(..10).unwrap_or(s);
            Val::Date(
                NaiveDate::parse_from_str(day, "%Y-%m-%d")
                    .map_err(|_| bad("a date (YYYY-MM-DD)"))?,
            )
        }
        (Col::Text, _) => return Err(bad("text")),
        (Col::Int, _) => return Err(bad("a whole number")),
        (Col::Num, _) => return Err(bad("a number")),
        (Col::Bool, _) => return Err(bad("true or false")),
        (Col::Date, _) => return Err(bad("a date (YYYY-MM-DD)")),
    })
}

/// The writable values of `props`; read-only names are skipped, unknown names are a 422.
pub fn columns(
    props: &Map<String, Value>,
    allowed: &'static [(&'static str, Col)],
    read_only: &[&str],
    extra: &[&str],
) -> Result<Vec<(&'static str, Val)>, FeaturesError> {
    let mut out = Vec::new();
    for (k, v) in props {
        if let Some((name, col)) = allowed.iter().find(|(n, _)| n == k) {
            out.push((*name, read(k, *col, v)?));
        } else if !read_only.contains(&k.as_str()) && !extra.contains(&k.as_str()) {
            return Err(invalid(format!(
                "unknown property `{k}`; writable properties are: {}",
                allowed
                    .iter()
                    .map(|(n, _)| *n)
                    .chain(extra.iter().copied())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    Ok(out)
}

pub fn push_val(qb: &mut QueryBuilder<'_, Postgres>, v: &Val) {
    match v {
        Val::Null => qb.push("NULL"),
        Val::Text(s) => qb.push_bind(s.clone()),
        Val::Int(i) => qb.push_bind(*i),
        Val::Num(f) => qb.push_bind(*f),
        Val::Bool(b) => qb.push_bind(*b),
        Val::Date(d) => qb.push_bind(*d),
    };
}

/// `, name…` of an INSERT's column list.
pub fn push_names(qb: &mut QueryBuilder<'_, Postgres>, cols: &[(&str, Val)]) {
    for (name, _) in cols {
        qb.push(", ").push(*name);
    }
}

/// `, value…` of an INSERT's values, in the order of `push_names`.
pub fn push_values(qb: &mut QueryBuilder<'_, Postgres>, cols: &[(&str, Val)]) {
    for (_, v) in cols {
        qb.push(", ");
        push_val(qb, v);
    }
}

/// `, name = value…` of an UPDATE.
pub fn push_sets(qb: &mut QueryBuilder<'_, Postgres>, cols: &[(&str, Val)]) {
    for (name, v) in cols {
        qb.push(", ").push(*name).push(" = ");
        push_val(qb, v);
    }
}

/// A PUT replaces the feature: every column it does not give is emptied, except those in `keep`
/// (they cannot be empty and keep their value).
pub fn empty_missing(
    cols: &mut Vec<(&'static str, Val)>,
    allowed: &'static [(&'static str, Col)],
    keep: &[&str],
) {
    for (name, _) in allowed {
        if !cols.iter().any(|(n, _)| n == name) && !keep.contains(name) {
            cols.push((name, Val::Null));
        }
    }
}

/// Every property of `required` is given.
pub fn require(cols: &[(&str, Val)], required: &[&str]) -> Result<(), FeaturesError> {
    match required.iter().find(|r| !cols.iter().any(|(n, _)| n == *r)) {
        Some(r) => Err(invalid(format!("property `{r}` is required"))),
        None => Ok(()),
    }
}

/// The row changed between the caller's check and the write's lock.
pub fn stale() -> FeaturesError {
    FeaturesError::Stale("the feature changed while this request was checked; GET it again".into())
}

/// A GeoJSON geometry in `crs`, as an EPSG:4326 PostGIS expression.
pub fn push_geom_in(qb: &mut QueryBuilder<'_, Postgres>, geojson: &str, crs: &Crs) {
    qb.push("ST_Transform(");
    if crs.lat_first {
        qb.push("ST_FlipCoordinates(");
    }
    qb.push("ST_SetSRID(ST_GeomFromGeoJSON(")
        .push_bind(geojson.to_string())
        .push("), ")
        .push_bind(crs.srid)
        .push(")");
    if crs.lat_first {
        qb.push(")");
    }
    qb.push(", 4326)");
}

/// Check an input geometry: its type is one of `types`, it is valid and it lies in Tunisia.
pub async fn check_geometry(
    tx: &mut Transaction<'_, Postgres>,
    geojson: &str,
    crs: &Crs,
    types: &[&str],
) -> Result<(), FeaturesError> {
    let mut qb = QueryBuilder::new("SELECT GeometryType(g), ST_IsValid(g), ST_IsValidReason(g), ST_XMin(g), ST_YMin(g), ST_XMax(g), ST_YMax(g), ST_IsEmpty(g) FROM (SELECT ");
    push_geom_in(&mut qb, geojson, crs);
    qb.push(" AS g) s");
    let (ty, valid, reason, x1, y1, x2, y2, empty): (
        String,
        bool,
        String,
        f64,
        f64,
        f64,
        f64,
        bool,
    ) = qb
        .build_query_as()
        .fetch_one(&mut **tx)
        .await
        .map_err(FeaturesError::db("checking the geometry"))?;
    if !types.iter().any(|t| t.eq_ignore_ascii_case(&ty)) {
        return Err(invalid(format!(
            "geometry type {ty} is not accepted here; use one of {}",
            types.join(", ")
        )));
    }
    if empty {
        return Err(invalid("the geometry is empty".into()));
    }
    if !valid {
        return Err(invalid(format!("the geometry is not valid: {reason}")));
    }
    if x1 < 6.0 || x2 > 13.0 || y1 < 29.0 || y2 > 39.0 {
        return Err(invalid(format!(
            "the geometry lies outside Tunisia (longitude {x1:.4}..{x2:.4}, latitude {y1:.4}..{y2:.4} after transformation); \
             check the Content-Crs header (default CRS84, longitude first) and the axis order"
        )));
    }
    Ok(())
}

/// Set the disclosure level of every location of project `id` (None: leave them).
pub async fn set_disclosure(
    tx: &mut Transaction<'_, Postgres>,
    id: i64,
    level: Option<&'static str>,
) -> Result<(), FeaturesError> {
    if let Some(level) = level {
        sqlx::query("UPDATE project_location SET disclosure = $2 WHERE project_id = $1 AND disclosure <> $2")
            .bind(id)
            .bind(level)
            .execute(&mut **tx)
            .await
            .map_err(FeaturesError::db("setting the disclosure level"))?;
    }
    Ok(())
}

/// Replace the locations of project `id` with the parts of `geojson` (None: remove them). The
/// new locations keep the strictest disclosure level of the old ones (docs/disclosure.md).
pub async fn set_locations(
    tx: &mut Transaction<'_, Postgres>,
    id: i64,
    geojson: Option<&str>,
    crs: &Crs,
) -> Result<(), FeaturesError> {
    let kept: Option<String> = sqlx::query_scalar(
        "SELECT disclosure FROM project_location WHERE project_id = $1 \
         ORDER BY array_position($2, disclosure) DESC LIMIT 1",
    )
    .bind(id)
    .bind(crate::projects::disclosure::LEVELS)
    .fetch_optional(&mut **tx)
    .await
    .map_err(FeaturesError::db("reading the disclosure level"))?;
    sqlx::query("DELETE FROM project_location WHERE project_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(FeaturesError::db("clearing the project locations"))?;
    if let Some(g) = geojson {
        let mut qb = QueryBuilder::new(
            "INSERT INTO project_location (project_id, source_id, precision, disclosure, geom) \
             SELECT ",
        );
        qb.push_bind(id)
            .push(", 'api-' || row_number() OVER (), 'exact', ")
            .push_bind(kept.unwrap_or_else(|| "exact".into()))
            .push(", (d).geom FROM ST_Dump(");
        push_geom_in(&mut qb, g, crs);
        qb.push(") d");
        qb.build()
            .execute(&mut **tx)
            .await
            .map_err(FeaturesError::db("writing a project location"))?;
    }
    Ok(())
}

/// Map constraint violations of a write (doing `what`) to the client's mistake.
pub fn constraint(what: &'static str) -> impl FnOnce(sqlx::Error) -> FeaturesError {
    move |e| constraint_error(what, e)
}

fn constraint_error(what: &'static str, e: sqlx::Error) -> FeaturesError {
    if let sqlx::Error::Database(db) = &e {
        match db.code().as_deref() {
            Some("23505") => {
                return FeaturesError::Conflict(format!("already exists: {}", db.message()))
            }
            Some("23502") | Some("23514") | Some("23503") => {
                return FeaturesError::Invalid(format!(
                    "rejected by the database: {}",
                    db.message()
                ))
            }
            _ => {}
        }
    }
    FeaturesError::db(what)(e)
}
