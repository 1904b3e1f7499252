//! Land use: conformity of projects with the zoning (kept by the database, migration 0005) and the
//! rule matrix that decides it.
//!
//! - `GET /api/conformity/rules` — the matrix (JSON; CSV with `f=csv` or `Accept: text/csv`).
//! - `PUT /api/conformity/rules` — replace the matrix (admin key; JSON or `Content-Type: text/csv`).
//! - `GET /api/conformity/projects[?verdict=forbidden,conditional][&municipality=CODE]` — verdicts.
pub mod csv;
pub mod rules;

use crate::error::QueryParams;
use axum::{
    body::Bytes,
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::{
    auth::Caller,
    ctx::Ctx,
    error::{AppError, AppResult},
    projects::json_text,
};

pub const VERDICTS: [&str; 4] = ["allowed", "conditional", "forbidden", "not_assessed"];

pub fn routes<S: crate::ctx::CtxState>() -> Router<S> {
    Router::new()
        .route("/api/conformity/rules", get(get_rules).put(put_rules))
        .route("/api/conformity/projects", get(verdicts))
}

#[derive(Debug, Default, Deserialize)]
struct Params {
    f: Option<String>,
    verdict: Option<String>,
    municipality: Option<String>,
}

/// CSV when asked with `f=csv` or preferred in `Accept` (and `f` does not say otherwise).
pub fn wants_csv(headers: &HeaderMap, f: Option<&str>) -> Result<bool, String> {
    match f.map(str::trim).filter(|f| !f.is_empty()) {
        Some(f) if f.eq_ignore_ascii_case("csv") => Ok(true),
        Some(f) if f.eq_ignore_ascii_case("json") => Ok(false),
        Some(f) => Err(format!(
            "'f={f}' is not a format here: give f=json or f=csv"
        )),
        None => Ok(headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("text/csv"))),
    }
}

pub fn csv_response(body: String, filename: &str) -> Response {
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}

async fn get_rules(
    state: Ctx,
    headers: HeaderMap,
    QueryParams(p): QueryParams<Params>,
) -> AppResult<Response> {
    if wants_csv(&headers, p.f.as_deref()).map_err(AppError::BadRequest)? {
        let rows: Vec<(String, String, String, String, String)> =
            sqlx::query_as(include_str!("sql/rules_csv.sql"))
                .fetch_all(&state.pool)
                .await
                .map_err(AppError::from)?;
        let mut out = csv::line(&rules::CSV_HEADER);
        for (t, c, o, nf, na) in rows {
            out.push_str(&csv::line(&[t, c, o, nf, na]));
        }
        return Ok(csv_response(out, "conformity_rules.csv"));
    }
    let body: String = sqlx::query_scalar(include_str!("sql/rules_json.sql"))
        .fetch_one(&state.pool)
        .await
        .map_err(AppError::from)?;
    Ok(json_text(StatusCode::OK, body))
}

#[derive(Debug, Serialize)]
struct PutAnswer {
    replaced: rules::Replaced,
    rules: usize,
    verdicts: serde_json::Value,
}

async fn put_rules(
    state: Ctx,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<Response> {
    caller.require_admin()?;
    let ctype = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/json")
        .to_ascii_lowercase();
    let (input, what) = if ctype.starts_with("text/csv") {
        let text = std::str::from_utf8(&body)
            .map_err(|_| AppError::BadRequest("the CSV is not UTF-8 text".into()))?;
        (rules::from_csv(text)?, "line")
    } else if ctype.starts_with("application/json") {
        let b: rules::RulesBody = serde_json::from_slice(&body).map_err(|e| {
            AppError::BadRequest(format!(
                "the body is not valid: {e}; send {{\"rules\": [{{\"project_type\", \"class\", \"outcome\", \"note_fr\", \"note_ar\"}}, …]}}"
            ))
        })?;
        (
            b.rules
                .into_iter()
                .enumerate()
                .map(|(i, r)| (i + 1, r))
                .collect(),
            "rule",
        )
    } else {
        return Err(AppError::BadRequest(format!(
            "Content-Type {ctype} is not supported: send application/json or text/csv"
        )));
    };
    let classes = rules::classes(&state.pool).await?;
    let valid = rules::validate(input, &classes, what)?;
    let replaced = rules::replace(&state.pool, &valid, &caller.author()).await?;
    let verdicts: Vec<(String, i64)> =
        sqlx::query_as("SELECT verdict, count(*) FROM project_conformity GROUP BY 1 ORDER BY 1")
            .fetch_all(&state.pool)
            .await
            .map_err(AppError::from)?;
    let verdicts: serde_json::Map<String, serde_json::Value> =
        verdicts.into_iter().map(|(v, n)| (v, json!(n))).collect();
    Ok(Json(PutAnswer {
        replaced,
        rules: valid.len(),
        verdicts: verdicts.into(),
    })
    .into_response())
}

type VerdictRow = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    bool,
    String,
    i32,
    i32,
    Option<f64>,
    Vec<String>,
    Option<String>,
    Option<String>,
);

async fn verdicts(
    state: Ctx,
    caller: Caller,
    QueryParams(p): QueryParams<Params>,
) -> AppResult<Response> {
    let wanted: Option<Vec<String>> = match p
        .verdict
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        None => None,
        Some(v) => {
            let list: Vec<String> = v.split(',').map(|s| s.trim().to_string()).collect();
            if let Some(bad) = list.iter().find(|s| !VERDICTS.contains(&s.as_str())) {
                return Err(AppError::BadRequest(format!(
                    "'verdict={bad}' is not a verdict: give one or more of {} separated by commas",
                    VERDICTS.join(", ")
                )));
            }
            Some(list)
        }
    };
    let municipality = p
        .municipality
        .map(|m| m.trim().to_string())
        .filter(|m| !m.is_empty());
    let vis = caller.visibility();
    let rows: Vec<VerdictRow> = sqlx::query_as(include_str!("sql/verdicts.sql"))
        .bind(&wanted)
        .bind(&municipality)
        .bind(vis.all)
        .bind(&vis.partner)
        .bind(&vis.municipalities)
        .fetch_all(
            &mut *crate::projects::planning_tx(&state.pool)
                .await
                .map_err(AppError::from)?,
        )
        .await
        .map_err(AppError::from)?;
    let projects: Vec<serde_json::Value> = rows
        .into_iter()
        .map(|r| {
            json!({
                "code": r.0, "title_fr": r.1, "title_ar": r.2, "project_type": r.3, "status": r.4,
                "verdict": r.7, "assessed_locations": r.8, "locations": r.9, "forbidden_share": r.10,
                "municipalities": r.11, "summary_fr": r.12, "summary_ar": r.13,
                "context": format!("/api/projects/{}/context", r.0),
            })
        })
        .collect();
    Ok(Json(json!({ "count": projects.len(), "projects": projects })).into_response())
}
