//! PAI scenarios (docs/participation.md, "Scenarios"): for a commune, an envelope and candidate
//! facilities (a point, a proposal or a project, with a type, a capacity and a cost) → total cost
//! vs envelope, newly covered population per type (straight-line catchment, each unit's people
//! counted once), cost per newly covered inhabitant, 2SFCA accessibility before and after, its
//! spread across units (Gini, Palma), the share of the gain reaching the least-served fifth, and
//! conformity flags. The database finds the places and the pairs within reach (`ST_DWithin` on
//! geography); the figures are the pure functions below.
use std::collections::BTreeMap;

use axum::{body::Bytes, extract::State, response::IntoResponse, response::Response};
use serde::Deserialize;
use serde_json::{json, Value};
use sqlx::Row;

use super::{error::db, input, input::parse};
use crate::{error::AppError, error::AppResult, state::AppState};

pub const FACILITY_TYPES: &[&str] = &[
    "school",
    "health",
    "administration",
    "post",
    "police",
    "other",
];
pub const MAX_CANDIDATES: usize = 200;
pub const DEFAULT_DISTANCE_M: f64 = 1000.0;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Candidate {
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    pub facility_type: Option<String>,
    pub capacity: Option<f64>,
    pub cost_tnd: Option<f64>,
    pub geometry: Option<Value>,
    pub proposal_id: Option<i64>,
    pub project: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioBody {
    pub municipality: Option<String>,
    pub envelope_tnd: Option<f64>,
    /// One distance for every type, or `{type: metres}`.
    pub distance_m: Option<Value>,
    #[serde(default)]
    pub candidates: Vec<Candidate>,
}

/// Weighted Gini of `x` (weights `w`); None when the mean is 0.
pub fn gini(x: &[f64], w: &[f64]) -> Option<f64> {
    let total: f64 = w.iter().sum();
    let mean = x.iter().zip(w).map(|(a, b)| a * b).sum::<f64>() / total;
    if total <= 0.0 || mean <= 0.0 {
        return None;
    }
    let mut s = 0.0;
    for i in 0..x.len() {
        for j in 0..x.len() {
            s += w[i] * w[j] * (x[i] - x[j]).abs();
        }
    }
    Some(s / (2.0 * total * total * mean))
}

/// Units in ascending order of `key` (ties by index), with each unit's weight.
fn order(key: &[f64]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..key.len()).collect();
    idx.sort_by(|a, b| key[*a].total_cmp(&key[*b]).then(a.cmp(b)));
    idx
}

/// Sum of `v_i × (part of unit i's weight lying in the population fractions [from, to])`, units
/// taken in the order `ord`.
fn slice_sum(ord: &[usize], w: &[f64], v: &[f64], from: f64, to: f64) -> f64 {
    let total: f64 = w.iter().sum();
    let (lo, hi) = (from * total, to * total);
    let mut cum = 0.0;
    let mut s = 0.0;
    for &i in ord {
        let (a, b) = (cum, cum + w[i]);
        let overlap = (b.min(hi) - a.max(lo)).max(0.0);
        if w[i] > 0.0 {
            s += v[i] * overlap / w[i];
        }
        cum = b;
    }
    s
}

/// Palma ratio: the share of Σ w·x held by the top 10 % of the weight over the share held by the
/// bottom 40 %; None when the bottom holds nothing.
pub fn palma(x: &[f64], w: &[f64]) -> Option<f64> {
    let ord = order(x);
    let wx: Vec<f64> = x.iter().zip(w).map(|(a, b)| a * b).collect();
    let bottom = slice_sum(&ord, w, &wx, 0.0, 0.4);
    let top = slice_sum(&ord, w, &wx, 0.9, 1.0);
    (bottom > 0.0).then(|| top / bottom)
}

/// Two-step floating catchment: supply j (capacity S_j, units within reach) has R_j = S_j / Σ P_k
/// over its units; unit i's accessibility is Σ R_j over the supplies that reach it.
pub fn two_step(pop: &[f64], supplies: &[(f64, Vec<usize>)]) -> Vec<f64> {
    let mut a = vec![0.0; pop.len()];
    for (cap, units) in supplies {
        let demand: f64 = units.iter().map(|u| pop[*u]).sum();
        if demand > 0.0 {
            for u in units {
                a[*u] += cap / demand;
            }
        }
    }
    a
}

fn round(v: f64, dp: i32) -> f64 {
    let m = 10f64.powi(dp);
    (v * m).round() / m
}

fn distances(v: &Option<Value>, types: &[String]) -> AppResult<BTreeMap<String, f64>> {
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

struct Cand {
    reference: Option<String>,
    kind: String,
    capacity: f64,
    cost: f64,
    geometry: Option<String>,
    proposal_id: Option<i64>,
    project: Option<String>,
}

fn validate(cands: Vec<Candidate>) -> AppResult<Vec<Cand>> {
    if cands.is_empty() || cands.len() > MAX_CANDIDATES {
        return Err(AppError::bad_request(format!(
            "\"candidates\" holds 1 to {MAX_CANDIDATES} candidates"
        )));
    }
    cands
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let kind = match c.facility_type.as_deref() {
                Some(k) if FACILITY_TYPES.contains(&k) => k.to_string(),
                _ => {
                    return Err(AppError::bad_request(format!(
                        "candidates[{i}].facility_type is one of {}",
                        FACILITY_TYPES.join(", ")
                    )))
                }
            };
            let capacity = c.capacity.unwrap_or(1.0);
            let cost = c.cost_tnd.unwrap_or(f64::NAN);
            if !(capacity.is_finite() && capacity > 0.0 && capacity < 1e9) {
                return Err(AppError::bad_request(format!("candidates[{i}].capacity is a number > 0")));
            }
            if !(0.0..1e15).contains(&cost) {
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
                kind,
                capacity,
                cost,
                geometry,
                proposal_id: c.proposal_id,
                project: input::text(c.project, "project", "code")?,
            })
        })
        .collect()
}

/// `POST /api/participation/scenarios`
pub async fn run(State(st): State<AppState>, body: Bytes) -> AppResult<Response> {
    let b: ScenarioBody = parse(
        &body,
        "\"municipality\", \"envelope_tnd\", \"distance_m\", \"candidates\": [{\"ref\", \"facility_type\", \"capacity\", \"cost_tnd\", and \"geometry\" (Point) or \"proposal_id\" or \"project\"}]",
    )?;
    let municipality = input::required(b.municipality, "municipality", "code")?;
    let envelope = b.envelope_tnd.filter(|e| (0.0..1e15).contains(e));
    if b.envelope_tnd.is_some() && envelope.is_none() {
        return Err(AppError::bad_request("\"envelope_tnd\" is an amount ≥ 0"));
    }
    let cands = validate(b.candidates)?;
    let mut types: Vec<String> = cands.iter().map(|c| c.kind.clone()).collect();
    types.sort();
    types.dedup();
    let dist = distances(&b.distance_m, &types)?;

    // demand units
    let rows = sqlx::query(include_str!("sql/scenario_units.sql"))
        .bind(&municipality)
        .fetch_all(&st.pool)
        .await
        .map_err(db)?;
    if rows.is_empty() {
        return Err(AppError::not_found(format!(
            "no current municipality {municipality}"
        )));
    }
    let codes: Vec<String> = rows.iter().map(|r| r.get("code")).collect();
    let pop: Vec<f64> = rows
        .iter()
        .map(|r| r.get::<Option<f64>, _>("population").unwrap_or(0.0))
        .collect();
    let apportioned: Vec<bool> = rows.iter().map(|r| r.get("apportioned")).collect();
    let ulon: Vec<f64> = rows.iter().map(|r| r.get("lon")).collect();
    let ulat: Vec<f64> = rows.iter().map(|r| r.get("lat")).collect();
    let zoned = !(codes.len() == 1 && codes[0] == municipality);

    // candidate places and tags
    let spec: Vec<Value> = cands
        .iter()
        .enumerate()
        .map(|(i, c)| json!({"idx": i, "geometry": c.geometry, "proposal_id": c.proposal_id, "project": c.project}))
        .collect();
    let crow = sqlx::query(include_str!("sql/scenario_candidates.sql"))
        .bind(Value::Array(spec))
        .fetch_all(&st.pool)
        .await
        .map_err(db)?;
    let mut clon = Vec::new();
    let mut clat = Vec::new();
    let mut cdist = Vec::new();
    let mut cout = Vec::new();
    for (i, r) in crow.iter().enumerate() {
        let (Some(x), Some(y)) = (
            r.get::<Option<f64>, _>("lon"),
            r.get::<Option<f64>, _>("lat"),
        ) else {
            return Err(AppError::bad_request(format!(
                "candidates[{i}]: no such public proposal or project to place it"
            )));
        };
        let c = &cands[i];
        clon.push(x);
        clat.push(y);
        cdist.push(dist[&c.kind]);
        let mun: Option<String> = r.get("municipality_code");
        let hint: Option<String> = r.get("conformity_hint");
        let mut flags = Vec::new();
        if mun.as_deref() != Some(municipality.as_str()) {
            flags.push("outside_commune");
        }
        match hint.as_deref() {
            Some("forbidden") => flags.push("forbidden_by_land_use"),
            Some("conditional") => flags.push("conditional_land_use"),
            None => flags.push("land_use_not_assessed"),
            _ => {}
        }
        cout.push(json!({
            "idx": i, "ref": c.reference, "facility_type": c.kind, "capacity": c.capacity, "cost_tnd": c.cost,
            "lon": x, "lat": y, "municipality_code": mun, "landuse_class": r.get::<Option<String>, _>("landuse_class"),
            "conformity_hint": hint, "flags": flags,
        }));
    }

    // pairs within reach
    let tdist: Vec<f64> = types.iter().map(|t| dist[t]).collect();
    let existing = sqlx::query(include_str!("sql/scenario_existing.sql"))
        .bind(&ulon)
        .bind(&ulat)
        .bind(&types)
        .bind(&tdist)
        .fetch_all(&st.pool)
        .await
        .map_err(db)?;
    let mut existing_by: BTreeMap<(String, i64), Vec<usize>> = BTreeMap::new();
    for r in &existing {
        let unit: i32 = r.get("unit");
        existing_by
            .entry((r.get("kind"), r.get("id")))
            .or_default()
            .push(unit as usize);
    }
    let pairs = sqlx::query(include_str!("sql/scenario_pairs.sql"))
        .bind(&ulon)
        .bind(&ulat)
        .bind(&clon)
        .bind(&clat)
        .bind(&cdist)
        .fetch_all(&st.pool)
        .await
        .map_err(db)?;
    let mut reach: Vec<Vec<usize>> = vec![Vec::new(); cands.len()];
    for r in &pairs {
        let (u, c): (i32, i32) = (r.get("unit"), r.get("cand"));
        reach[c as usize].push(u as usize);
    }

    let n = codes.len();
    let mut units: Vec<serde_json::Map<String, Value>> = (0..n)
        .map(|i| {
            let mut m = serde_json::Map::new();
            m.insert("code".into(), json!(codes[i]));
            m.insert("population".into(), json!(pop[i]));
            m.insert("population_apportioned".into(), json!(apportioned[i]));
            m
        })
        .collect();
    let mut by_type = Vec::new();
    let mut newly_total = 0.0;
    for t in &types {
        let before: Vec<(f64, Vec<usize>)> = existing_by
            .iter()
            .filter(|((k, _), _)| k == t)
            .map(|(_, u)| (1.0, u.clone()))
            .collect();
        let mine: Vec<usize> = (0..cands.len()).filter(|i| &cands[*i].kind == t).collect();
        let mut after = before.clone();
        after.extend(mine.iter().map(|i| (cands[*i].capacity, reach[*i].clone())));
        let covered = |s: &[(f64, Vec<usize>)]| {
            let mut c = vec![false; n];
            s.iter().flat_map(|(_, u)| u).for_each(|u| c[*u] = true);
            c
        };
        let (cb, ca) = (covered(&before), covered(&after));
        let gain: Vec<f64> = (0..n)
            .map(|i| if ca[i] && !cb[i] { pop[i] } else { 0.0 })
            .collect();
        let newly: f64 = gain.iter().sum();
        newly_total += newly;
        let (ab, aa) = (two_step(&pop, &before), two_step(&pop, &after));
        let cost: f64 = mine.iter().map(|i| cands[*i].cost).sum();
        let poorest = order(&ab);
        let poorest_share =
            (newly > 0.0).then(|| slice_sum(&poorest, &pop, &gain, 0.0, 0.2) / newly);
        for i in 0..n {
            units[i].insert(
                t.clone(),
                json!({"covered_before": cb[i], "covered_after": ca[i], "newly_covered": gain[i],
                       "access_before_per_1000": round(ab[i] * 1000.0, 6), "access_after_per_1000": round(aa[i] * 1000.0, 6)}),
            );
        }
        let sum_if = |c: &[bool]| (0..n).filter(|i| c[*i]).map(|i| pop[i]).sum::<f64>();
        by_type.push(json!({
            "facility_type": t, "distance_m": dist[t], "candidates": mine.len(), "cost_tnd": cost,
            "existing_facilities_in_reach": before.len(),
            "population": pop.iter().sum::<f64>(), "covered_before": sum_if(&cb), "covered_after": sum_if(&ca),
            "newly_covered": newly, "cost_per_newly_covered_tnd": (newly > 0.0).then(|| round(cost / newly, 3)),
            "gini_access_before": gini(&ab, &pop).map(|g| round(g, 6)), "gini_access_after": gini(&aa, &pop).map(|g| round(g, 6)),
            "palma_access_before": palma(&ab, &pop).map(|g| round(g, 6)), "palma_access_after": palma(&aa, &pop).map(|g| round(g, 6)),
            "share_of_gain_to_least_served_fifth": poorest_share.map(|s| round(s, 6)),
        }));
    }
    let total_cost: f64 = cands.iter().map(|c| c.cost).sum();
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
        "candidates": cout,
        "method": {
            "demand": if zoned { "participation zones of the commune: their population, or the commune's latest population apportioned by area" } else { "the commune as one unit (no participation zones): its latest population" },
            "coverage": "a unit is covered for a type when its representative point (ST_PointOnSurface) lies within the distance of a facility of that type (ST_DWithin on geography, straight line); its whole population counts once, however many facilities reach it",
            "supply": "existing facilities (facility table, capacity 1) and the candidates (given capacity, default 1)",
            "two_step_fca": "R_j = S_j / sum of P_k within d of j (demand units of this commune only); A_i = sum of R_j within d of i; shown per 1,000 inhabitants",
            "spread": "Gini and Palma (top 10 % / bottom 40 %) of A across units, weighted by population",
            "least_served_fifth": "the 20 % of the population with the lowest accessibility before the scenario (no income data per unit): its share of the newly covered population",
            "cost_per_newly_covered": "total candidate cost / newly covered population; the overall figure adds the newly covered of every type (a person may count once per type)",
            "conformity": "mk_participation_tags with project type facility at each candidate's place",
            "parameters": {"distance_m": dist, "default_distance_m": DEFAULT_DISTANCE_M, "default_capacity": 1},
        },
    }))
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gini_and_palma() {
        assert_eq!(gini(&[1.0, 1.0], &[1.0, 3.0]), Some(0.0));
        // two equal groups, all with one: G = 0.5
        assert!((gini(&[0.0, 2.0], &[1.0, 1.0]).unwrap() - 0.5).abs() < 1e-12);
        assert_eq!(gini(&[0.0, 0.0], &[1.0, 1.0]), None);
        // ten equal units 1..10: top 10 % holds 10/55, bottom 40 % holds 10/55
        let x: Vec<f64> = (1..=10).map(f64::from).collect();
        assert!((palma(&x, &[1.0; 10]).unwrap() - 1.0).abs() < 1e-12);
        assert_eq!(palma(&[0.0, 5.0], &[1.0, 1.0]), None);
    }

    #[test]
    fn two_step_catchments() {
        // one supply of 2 reaching units 0 and 1 (100 + 300 people)
        let a = two_step(&[100.0, 300.0, 50.0], &[(2.0, vec![0, 1])]);
        assert_eq!(a, vec![0.005, 0.005, 0.0]);
        let ord = order(&[0.3, 0.1, 0.2]);
        assert_eq!(ord, vec![1, 2, 0]);
        // the lowest 20 % of 10 people: 2 people of unit 1 (weight 5, value 10) → 4
        assert!((slice_sum(&[1, 0], &[5.0, 5.0], &[1.0, 10.0], 0.0, 0.2) - 4.0).abs() < 1e-12);
    }
}
