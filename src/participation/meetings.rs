//! Meetings (PIC zone sessions): date, place, zone, agenda, attendance by sex and age band,
//! minutes, ranked priorities linked to proposals, delegates (names public only with consent),
//! and participant codes for verified supports (returned once, at creation; stored hashed).
use axum::{
    body::Bytes,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{json, Value};

use super::extract::{KeyHolder, MunicipalityQuery, Params};
use super::{error::db, input, input::parse, json_text, participant};
use crate::{error::AppError, error::AppResult, guard::request_body, state::AppState};

/// Codes one meeting may hand out.
pub const MAX_CODES: usize = 1000;

request_body! {
    #[derive(Serialize)]
    pub struct Attendance {
        pub sex: String,
        pub age_band: String,
        pub count: i32,
    }

    #[derive(Serialize)]
    pub struct Priority {
        pub rank: i32,
        pub label: String,
        pub proposal_id: Option<i64>,
        pub votes: Option<i32>,
    }

    #[derive(Serialize)]
    pub struct Delegate {
        pub name: String,
        pub sex: Option<String>,
        pub consent_public: Option<bool>,
    }

    pub struct CreateBody {
        pub municipality: Option<String>,
        pub zone: Option<String>,
        pub held_at: Option<DateTime<Utc>>,
        pub place_name: Option<String>,
        pub geometry: Option<Value>,
        pub agenda: Option<String>,
        pub minutes: Option<String>,
        #[serde(default)]
        pub attendance: Vec<Attendance>,
        #[serde(default)]
        pub priorities: Vec<Priority>,
        #[serde(default)]
        pub delegates: Vec<Delegate>,
        pub codes: Option<usize>,
    }
}

fn check(b: &CreateBody) -> AppResult<()> {
    for a in &b.attendance {
        if !["female", "male"].contains(&a.sex.as_str())
            || !["under_18", "18_35", "36_60", "over_60"].contains(&a.age_band.as_str())
            || a.count < 0
        {
            return Err(AppError::bad_request(
                "attendance rows are {sex: female|male, age_band: under_18|18_35|36_60|over_60, count ≥ 0}",
            ));
        }
    }
    for p in &b.priorities {
        input::required(Some(p.label.clone()), "priorities.label", "label")?;
        if p.rank < 1 {
            return Err(AppError::bad_request("priorities are ranked from 1"));
        }
    }
    for d in &b.delegates {
        input::required(Some(d.name.clone()), "delegates.name", "label")?;
    }
    if b.codes.is_some_and(|c| c > MAX_CODES) {
        return Err(AppError::bad_request(format!(
            "at most {MAX_CODES} participant codes per meeting"
        )));
    }
    Ok(())
}

/// `POST /api/participation/meetings` — planners of the commune, admins.
pub async fn create(k: KeyHolder, body: Bytes) -> AppResult<Response> {
    let b: CreateBody = parse(
        &body,
        "\"municipality\", \"held_at\" (RFC 3339), \"place_name\", \"geometry\" (Point), \"zone\", \"agenda\", \"minutes\", \"attendance\", \"priorities\", \"delegates\", \"codes\" (how many participant codes to issue)",
    )?;
    let municipality = k.commune(b.municipality.clone())?;
    let held_at = b.held_at.ok_or_else(|| {
        AppError::bad_request("\"held_at\" (e.g. 2026-03-14T09:00:00Z) is required")
    })?;
    check(&b)?;
    let geometry = b
        .geometry
        .as_ref()
        .map(|g| input::geometry(g, &["Point"]))
        .transpose()?;
    let codes: Vec<String> = (0..b.codes.unwrap_or(0))
        .map(|_| participant::new_token())
        .collect();
    let hashes: Vec<String> = codes.iter().map(|c| participant::sha256(c)).collect();
    let id: i64 = sqlx::query_scalar(include_str!("sql/meeting_insert.sql"))
        .bind(&municipality)
        .bind(input::text(b.zone.clone(), "zone", "code")?)
        .bind(held_at)
        .bind(input::text(b.place_name.clone(), "place_name", "label")?)
        .bind(geometry)
        .bind(input::text(b.agenda.clone(), "agenda", "description")?)
        .bind(input::text(b.minutes.clone(), "minutes", "description")?)
        .bind(k.who.author())
        .bind(serde_json::to_value(&b.attendance).unwrap_or_default())
        .bind(serde_json::to_value(&b.priorities).unwrap_or_default())
        .bind(serde_json::to_value(&b.delegates).unwrap_or_default())
        .bind(&hashes)
        .fetch_one(&k.pool)
        .await
        .map_err(db)?;
    Ok((
        StatusCode::CREATED,
        axum::Json(json!({"id": id, "participant_codes": codes})),
    )
        .into_response())
}

/// `GET /api/participation/meetings/{id}`
pub async fn get(State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<Response> {
    let s: String = sqlx::query_scalar(include_str!("sql/meeting_get.sql"))
        .bind(Some(id))
        .bind(None::<String>)
        .fetch_one(&st.pool)
        .await
        .map_err(db)?;
    let v: Value = serde_json::from_str(&s).map_err(|e| AppError::Internal(e.to_string()))?;
    match v.get(0) {
        Some(m) => Ok(axum::Json(m.clone()).into_response()),
        None => Err(AppError::not_found(format!("no meeting {id}"))),
    }
}

/// `GET /api/participation/meetings?municipality=CODE`
pub async fn list(
    State(st): State<AppState>,
    Params(q): Params<MunicipalityQuery>,
) -> AppResult<Response> {
    let s: String = sqlx::query_scalar(include_str!("sql/meeting_get.sql"))
        .bind(None::<i64>)
        .bind(q.municipality)
        .fetch_one(&st.pool)
        .await
        .map_err(db)?;
    Ok(json_text(StatusCode::OK, format!("{{\"meetings\":{s}}}")))
}
