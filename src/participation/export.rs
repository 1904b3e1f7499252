//! Public outputs: "you said / we did" per commune, a project's proposals, and the open-data
//! export of proposals as CSV and GeoJSON — with coordinates, read from `proposal_public` only
//! (no author data exists there).
use axum::{
    extract::{Path, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};
use serde_json::{json, Value};
use sqlx::Row;

use super::extract::{MunicipalityQuery, Params};
use super::{by_code, error::db};
use crate::{error::AppResult, state::AppState};

/// `GET /api/participation/communes/{code}/you-said-we-did`
pub async fn you_said_we_did(st: State<AppState>, code: Path<String>) -> AppResult<Response> {
    by_code(st, code, include_str!("sql/you_said_we_did.sql")).await
}

/// `GET /api/participation/projects/{code}/proposals`
pub async fn project_proposals(st: State<AppState>, code: Path<String>) -> AppResult<Response> {
    by_code(st, code, include_str!("sql/project_proposals.sql")).await
}

const COLUMNS: &[&str] = &[
    "id",
    "municipality_code",
    "delegation_code",
    "zone_code",
    "theme",
    "lang",
    "title",
    "body",
    "address",
    "state",
    "answer",
    "answered_at",
    "project_code",
    "landuse_class",
    "conformity_hint",
    "supports",
    "verified_supports",
    "comments",
    "published_at",
    "lon",
    "lat",
];

async fn rows(st: &AppState, q: MunicipalityQuery) -> AppResult<Vec<sqlx::postgres::PgRow>> {
    sqlx::query(include_str!("sql/export_rows.sql"))
        .bind(q.municipality)
        .fetch_all(&st.pool)
        .await
        .map_err(db)
}

fn value(r: &sqlx::postgres::PgRow, c: &str) -> Value {
    match c {
        "id" | "supports" | "verified_supports" | "comments" => json!(r.try_get::<i64, _>(c).ok()),
        "lon" | "lat" => json!(r.try_get::<f64, _>(c).ok()),
        _ => json!(r.try_get::<Option<String>, _>(c).ok().flatten()),
    }
}

/// A CSV field: quoted when needed, and a text a spreadsheet would run as a formula is prefixed
/// with an apostrophe.
fn csv_field(v: &Value) -> String {
    let s = match v {
        Value::Null => return String::new(),
        Value::String(s) => {
            if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                format!("'{s}")
            } else {
                s.clone()
            }
        }
        other => other.to_string(),
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// `GET /api/participation/export/proposals.csv[?municipality=CODE]`
pub async fn csv(
    State(st): State<AppState>,
    Params(q): Params<MunicipalityQuery>,
) -> AppResult<Response> {
    let rows = rows(&st, q).await?;
    let mut out = COLUMNS.join(",");
    out.push_str("\r\n");
    for r in &rows {
        let line: Vec<String> = COLUMNS.iter().map(|c| csv_field(&value(r, c))).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"proposals.csv\"",
            ),
        ],
        out,
    )
        .into_response())
}

/// `GET /api/participation/export/proposals.geojson[?municipality=CODE]`
pub async fn geojson(
    State(st): State<AppState>,
    Params(q): Params<MunicipalityQuery>,
) -> AppResult<Response> {
    let rows = rows(&st, q).await?;
    let features: Vec<Value> = rows
        .iter()
        .map(|r| {
            let props: serde_json::Map<String, Value> = COLUMNS
                .iter()
                .filter(|c| !matches!(**c, "lon" | "lat"))
                .map(|c| (c.to_string(), value(r, c)))
                .collect();
            let geometry: Value = r
                .try_get::<String, _>("geometry")
                .ok()
                .and_then(|g| serde_json::from_str(&g).ok())
                .unwrap_or(Value::Null);
            json!({"type": "Feature", "id": value(r, "id"), "geometry": geometry, "properties": props})
        })
        .collect();
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/geo+json")],
        json!({"type": "FeatureCollection", "features": features}).to_string(),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quoting() {
        assert_eq!(csv_field(&json!("a,b")), "\"a,b\"");
        assert_eq!(csv_field(&json!("=1+1")), "'=1+1");
        assert_eq!(csv_field(&json!(null)), "");
        assert_eq!(csv_field(&json!(3)), "3");
    }
}
