//! What the database finds for a scenario: the demand units of the commune, each candidate's place
//! and tags, and the pairs (existing facility or candidate, unit) within reach.
use std::collections::BTreeMap;

use serde_json::{json, Value};
use sqlx::{PgPool, Row};

use super::{super::error::db, input::Cand};
use crate::{error::AppError, error::AppResult};

/// The demand units: participation zones of the commune, or the commune itself.
pub(super) struct Units {
    pub codes: Vec<String>,
    pub pop: Vec<f64>,
    pub apportioned: Vec<bool>,
    pub lon: Vec<f64>,
    pub lat: Vec<f64>,
}

pub(super) async fn units(pool: &PgPool, municipality: &str) -> AppResult<Units> {
    let rows = sqlx::query(include_str!("../sql/scenario_units.sql"))
        .bind(municipality)
        .fetch_all(pool)
        .await
        .map_err(db)?;
    if rows.is_empty() {
        return Err(AppError::not_found(format!(
            "no current municipality {municipality}"
        )));
    }
    Ok(Units {
        codes: rows.iter().map(|r| r.get("code")).collect(),
        pop: rows
            .iter()
            .map(|r| r.get::<Option<f64>, _>("population").unwrap_or(0.0))
            .collect(),
        apportioned: rows.iter().map(|r| r.get("apportioned")).collect(),
        lon: rows.iter().map(|r| r.get("lon")).collect(),
        lat: rows.iter().map(|r| r.get("lat")).collect(),
    })
}

/// Each candidate placed: (lon, lat) and its description with its conformity flags.
pub(super) struct Placed {
    pub lon: Vec<f64>,
    pub lat: Vec<f64>,
    pub described: Vec<Value>,
}

pub(super) async fn candidates(
    pool: &PgPool,
    cands: &[Cand],
    municipality: &str,
) -> AppResult<Placed> {
    let spec: Vec<Value> = cands
        .iter()
        .enumerate()
        .map(|(i, c)| json!({"idx": i, "geometry": c.geometry, "proposal_id": c.proposal_id, "project": c.project}))
        .collect();
    let rows = sqlx::query(include_str!("../sql/scenario_candidates.sql"))
        .bind(Value::Array(spec))
        .fetch_all(pool)
        .await
        .map_err(db)?;
    let mut out = Placed {
        lon: Vec::new(),
        lat: Vec::new(),
        described: Vec::new(),
    };
    for (i, r) in rows.iter().enumerate() {
        let (Some(x), Some(y)) = (
            r.get::<Option<f64>, _>("lon"),
            r.get::<Option<f64>, _>("lat"),
        ) else {
            return Err(AppError::bad_request(format!(
                "candidates[{i}]: no such public proposal or project to place it"
            )));
        };
        let c = &cands[i];
        let mun: Option<String> = r.get("municipality_code");
        let hint: Option<String> = r.get("conformity_hint");
        out.lon.push(x);
        out.lat.push(y);
        out.described.push(json!({
            "idx": i, "ref": c.reference, "facility_type": c.facility_type, "capacity": c.capacity, "cost_tnd": c.cost_tnd,
            "lon": x, "lat": y, "municipality_code": mun, "landuse_class": r.get::<Option<String>, _>("landuse_class"),
            "conformity_hint": hint, "flags": flags(mun.as_deref() == Some(municipality), hint.as_deref()),
        }));
    }
    Ok(out)
}

fn flags(inside: bool, hint: Option<&str>) -> Vec<&'static str> {
    let mut flags = Vec::new();
    if !inside {
        flags.push("outside_commune");
    }
    match hint {
        Some("forbidden") => flags.push("forbidden_by_land_use"),
        Some("conditional") => flags.push("conditional_land_use"),
        None => flags.push("land_use_not_assessed"),
        _ => {}
    }
    flags
}

/// The units each existing facility of a type reaches: `(type, facility id) → units`.
pub(super) async fn existing_reach(
    pool: &PgPool,
    u: &Units,
    types: &[String],
    dist: &BTreeMap<String, f64>,
) -> AppResult<BTreeMap<(String, i64), Vec<usize>>> {
    let tdist: Vec<f64> = types.iter().map(|t| dist[t]).collect();
    let rows = sqlx::query(include_str!("../sql/scenario_existing.sql"))
        .bind(&u.lon)
        .bind(&u.lat)
        .bind(types)
        .bind(&tdist)
        .fetch_all(pool)
        .await
        .map_err(db)?;
    let mut by: BTreeMap<(String, i64), Vec<usize>> = BTreeMap::new();
    for r in &rows {
        let unit: i32 = r.get("unit");
        by.entry((r.get("kind"), r.get("id")))
            .or_default()
            .push(unit as usize);
    }
    Ok(by)
}

/// The units each candidate reaches (candidate `i` within `cdist[i]` metres).
pub(super) async fn candidate_reach(
    pool: &PgPool,
    u: &Units,
    p: &Placed,
    cdist: &[f64],
) -> AppResult<Vec<Vec<usize>>> {
    let rows = sqlx::query(include_str!("../sql/scenario_pairs.sql"))
        .bind(&u.lon)
        .bind(&u.lat)
        .bind(&p.lon)
        .bind(&p.lat)
        .bind(cdist)
        .fetch_all(pool)
        .await
        .map_err(db)?;
    let mut reach: Vec<Vec<usize>> = vec![Vec::new(); p.lon.len()];
    for r in &rows {
        let (u, c): (i32, i32) = (r.get("unit"), r.get("cand"));
        reach[c as usize].push(u as usize);
    }
    Ok(reach)
}
