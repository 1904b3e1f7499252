//! PAI scenarios (docs/participation.md, "Scenarios"): for a commune, an envelope and candidate
//! facilities (a point, a proposal or a project, with a type, a capacity and a cost) → total cost
//! vs envelope, newly covered population per type (straight-line catchment, each unit's people
//! counted once), cost per newly covered inhabitant, 2SFCA accessibility before and after, its
//! spread across units (Gini, Palma), the share of the gain reaching the least-served fifth, and
//! conformity flags. The database finds the places and the pairs within reach (`ST_DWithin` on
//! geography); the figures are the pure functions below.
mod coverage;
mod equity;
mod input;
mod places;

use axum::{body::Bytes, extract::State, response::IntoResponse, response::Response};
use serde_json::{json, Value};

use self::{
    coverage::{figures, round, TypeInput},
    input::{distances, validate, ScenarioBody, DEFAULT_DISTANCE_M},
};
use super::input::{parse, required};
use crate::{error::AppError, error::AppResult, state::AppState};

pub use self::equity::{gini, palma, two_step};
pub use self::input::{Candidate, FACILITY_TYPES, MAX_CANDIDATES};

/// `POST /api/participation/scenarios`
pub async fn run(State(st): State<AppState>, body: Bytes) -> AppResult<Response> {
    let b: ScenarioBody = parse(
        &body,
        "\"municipality\", \"envelope_tnd\", \"distance_m\", \"candidates\": [{\"ref\", \"facility_type\", \"capacity\", \"cost_tnd\", and \"geometry\" (Point) or \"proposal_id\" or \"project\"}]",
    )?;
    let municipality = required(b.municipality, "municipality", "code")?;
    let envelope = b.envelope_tnd.filter(|e| (0.0..1e15).contains(e));
    if b.envelope_tnd.is_some() && envelope.is_none() {
        return Err(AppError::bad_request("\"envelope_tnd\" is an amount ≥ 0"));
    }
    let cands = validate(b.candidates)?;
    let mut types: Vec<String> = cands.iter().map(|c| c.facility_type.clone()).collect();
    types.sort();
    types.dedup();
    let dist = distances(&b.distance_m, &types)?;

    let u = places::units(&st.pool, &municipality).await?;
    let zoned = !(u.codes.len() == 1 && u.codes[0] == municipality);
    let placed = places::candidates(&st.pool, &cands, &municipality).await?;
    let cdist: Vec<f64> = cands.iter().map(|c| dist[&c.facility_type]).collect();
    let existing = places::existing_reach(&st.pool, &u, &types, &dist).await?;
    let reach = places::candidate_reach(&st.pool, &u, &placed, &cdist).await?;

    let mut units: Vec<serde_json::Map<String, Value>> = (0..u.codes.len())
        .map(|i| {
            let mut m = serde_json::Map::new();
            m.insert("code".into(), json!(u.codes[i]));
            m.insert("population".into(), json!(u.pop[i]));
            m.insert("population_apportioned".into(), json!(u.apportioned[i]));
            m
        })
        .collect();
    let mut by_type = Vec::new();
    let mut newly_total = 0.0;
    for t in &types {
        let mine: Vec<usize> = (0..cands.len())
            .filter(|i| &cands[*i].facility_type == t)
            .collect();
        let input = TypeInput {
            kind: t,
            distance_m: dist[t],
            before: existing
                .iter()
                .filter(|((k, _), _)| k == t)
                .map(|(_, r)| (1.0, r.clone()))
                .collect(),
            candidates: mine
                .iter()
                .map(|i| (cands[*i].capacity, reach[*i].clone()))
                .collect(),
            cost: mine.iter().map(|i| cands[*i].cost_tnd).sum(),
        };
        let (summary, newly) = figures(input, &u.pop, &mut units);
        by_type.push(summary);
        newly_total += newly;
    }
    let total_cost: f64 = cands.iter().map(|c| c.cost_tnd).sum();
    Ok(axum::Json(json!({
        "municipality": municipality,
        "envelope_tnd": envelope,
        "total_cost_tnd": total_cost,
        "within_envelope": envelope.map(|e| total_cost <= e),
        "remaining_tnd": envelope.map(|e| e - total_cost),
        "newly_covered_total": newly_total,
        "cost_per_newly_covered_tnd": (newly_total > 0.0).then(|| round(total_cost / newly_total, 3)),
        "by_type": by_type,
        "units": units,
        "candidates": placed.described,
        "method": method(zoned, &dist),
    }))
    .into_response())
}

/// The method and parameters, echoed in every answer.
fn method(zoned: bool, dist: &std::collections::BTreeMap<String, f64>) -> Value {
    json!({
        "demand": if zoned { "participation zones of the commune: their population, or the commune's latest population apportioned by area" } else { "the commune as one unit (no participation zones): its latest population" },
        "coverage": "a unit is covered for a type when its representative point (ST_PointOnSurface) lies within the distance of a facility of that type (ST_DWithin on geography, straight line); its whole population counts once, however many facilities reach it",
        "supply": "existing facilities (facility table, capacity 1) and the candidates (given capacity, default 1)",
        "two_step_fca": "R_j = S_j / sum of P_k within d of j (demand units of this commune only); A_i = sum of R_j within d of i; shown per 1,000 inhabitants",
        "spread": "Gini and Palma (top 10 % / bottom 40 %) of A across units, weighted by population",
        "least_served_fifth": "the 20 % of the population with the lowest accessibility before the scenario (no income data per unit): its share of the newly covered population",
        "cost_per_newly_covered": "total candidate cost / newly covered population; the overall figure adds the newly covered of every type (a person may count once per type)",
        "conformity": "mk_participation_tags with project type facility at each candidate's place",
        "parameters": {"distance_m": dist, "default_distance_m": DEFAULT_DISTANCE_M, "default_capacity": 1},
    })
}
