//! The scenario request: its body, the candidates checked one by one, the distance per type.
use std::collections::BTreeMap;

use serde_json::Value;

use super::super::input;
use crate::{error::AppError, error::AppResult, guard::request_body};

pub use crate::layers::facilities::KINDS as FACILITY_TYPES;
pub const MAX_CANDIDATES: usize = 200;
pub const DEFAULT_DISTANCE_M: f64 = 1000.0;

/// A candidate facility's fields, once: as sent (`Candidate`: every field optional, the geometry a
/// GeoJSON value) and as checked (`Cand`: its type known, capacity and cost numbers, the geometry
/// as GeoJSON text).
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Candidate<T: Default = Option<String>, N: Default = Option<f64>, G = Value> {
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    #[serde(default)]
    pub facility_type: T,
    #[serde(default)]
    pub capacity: N,
    #[serde(default)]
    pub cost_tnd: N,
    pub geometry: Option<G>,
    pub proposal_id: Option<i64>,
    pub project: Option<String>,
}

pub(super) type Cand = Candidate<String, f64, String>;

request_body! {
    pub struct ScenarioBody {
        pub municipality: Option<String>,
        pub envelope_tnd: Option<f64>,
        /// One distance for every type, or `{type: metres}`.
        pub distance_m: Option<Value>,
        #[serde(default)]
        pub candidates: Vec<Candidate>,
    }
}

pub(super) fn distances(v: &Option<Value>, types: &[String]) -> AppResult<BTreeMap<String, f64>> {
    let check = |d: f64| {
        if (50.0..=50_000.0).contains(&d) {
            Ok(d)
        } else {
            Err(AppError::bad_request(
                "\"distance_m\" is 50 to 50,000 metres",
            ))
        }
    };
    let mut out = BTreeMap::new();
    for t in types {
        let d = match v {
            None => DEFAULT_DISTANCE_M,
            Some(Value::Number(n)) => check(n.as_f64().unwrap_or(f64::NAN))?,
            Some(Value::Object(o)) => match o.get(t) {
                None => DEFAULT_DISTANCE_M,
                Some(n) => check(n.as_f64().unwrap_or(f64::NAN))?,
            },
            Some(_) => {
                return Err(AppError::bad_request(
                    "\"distance_m\" is a number of metres or an object {facility_type: metres}",
                ))
            }
        };
        out.insert(t.clone(), d);
    }
    Ok(out)
}

pub(super) fn validate(cands: Vec<Candidate>) -> AppResult<Vec<Cand>> {
    if cands.is_empty() || cands.len() > MAX_CANDIDATES {
        return Err(AppError::bad_request(format!(
            "\"candidates\" holds 1 to {MAX_CANDIDATES} candidates"
        )));
    }
    cands
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let facility_type = match c.facility_type.as_deref() {
                Some(k) if FACILITY_TYPES.contains(&k) => k.to_string(),
                _ => {
                    return Err(AppError::bad_request(format!(
                        "candidates[{i}].facility_type is one of {}",
                        FACILITY_TYPES.join(", ")
                    )))
                }
            };
            let capacity = c.capacity.unwrap_or(1.0);
            let cost_tnd = c.cost_tnd.unwrap_or(f64::NAN);
            if !(capacity.is_finite() && capacity > 0.0 && capacity < 1e9) {
                return Err(AppError::bad_request(format!("candidates[{i}].capacity is a number > 0")));
            }
            if !(0.0..1e15).contains(&cost_tnd) {
                return Err(AppError::bad_request(format!("candidates[{i}].cost_tnd is an amount ≥ 0 (required)")));
            }
            let geometry = c.geometry.as_ref().map(|g| input::geometry(g, &["Point"])).transpose()?;
            if geometry.is_none() && c.proposal_id.is_none() && c.project.is_none() {
                return Err(AppError::bad_request(format!(
                    "candidates[{i}] needs a place: \"geometry\" (Point), \"proposal_id\" or \"project\""
                )));
            }
            Ok(Cand {
                reference: input::text(c.reference, "ref", "label")?,
                facility_type,
                capacity,
                cost_tnd,
                geometry,
                proposal_id: c.proposal_id,
                project: input::text(c.project, "project", "code")?,
            })
        })
        .collect()
}
