//! The figures of one facility type: coverage before and after, newly covered people, cost per
//! newly covered inhabitant, 2SFCA and its spread, the share of the gain reaching the least-served
//! fifth; and each unit's own figures.
use serde_json::{json, Map, Value};

use super::equity::{gini, order, palma, slice_sum, two_step};

pub(super) fn round(v: f64, dp: i32) -> f64 {
    let m = 10f64.powi(dp);
    (v * m).round() / m
}

/// One type's supplies: `(capacity, units reached)` before (existing facilities) and the
/// candidates of the type.
pub(super) struct TypeInput<'a> {
    pub kind: &'a str,
    pub distance_m: f64,
    pub before: Vec<(f64, Vec<usize>)>,
    pub candidates: Vec<(f64, Vec<usize>)>,
    pub cost: f64,
}

/// The type's summary; each unit's figures are added to `units` under the type's name. Returns the
/// summary and the newly covered population.
pub(super) fn figures(t: TypeInput, pop: &[f64], units: &mut [Map<String, Value>]) -> (Value, f64) {
    let n = pop.len();
    let mut after = t.before.clone();
    after.extend(t.candidates.iter().cloned());
    let covered = |s: &[(f64, Vec<usize>)]| {
        let mut c = vec![false; n];
        s.iter().flat_map(|(_, u)| u).for_each(|u| c[*u] = true);
        c
    };
    let (cb, ca) = (covered(&t.before), covered(&after));
    let gain: Vec<f64> = (0..n)
        .map(|i| if ca[i] && !cb[i] { pop[i] } else { 0.0 })
        .collect();
    let newly: f64 = gain.iter().sum();
    let (ab, aa) = (two_step(pop, &t.before), two_step(pop, &after));
    let poorest = order(&ab);
    let poorest_share = (newly > 0.0).then(|| slice_sum(&poorest, pop, &gain, 0.0, 0.2) / newly);
    for (i, unit) in units.iter_mut().enumerate() {
        unit.insert(
            t.kind.to_string(),
            json!({"covered_before": cb[i], "covered_after": ca[i], "newly_covered": gain[i],
                   "access_before_per_1000": round(ab[i] * 1000.0, 6), "access_after_per_1000": round(aa[i] * 1000.0, 6)}),
        );
    }
    let sum_if = |c: &[bool]| (0..n).filter(|i| c[*i]).map(|i| pop[i]).sum::<f64>();
    let r6 = |v: Option<f64>| v.map(|g| round(g, 6));
    let summary = json!({
        "facility_type": t.kind, "distance_m": t.distance_m, "candidates": t.candidates.len(), "cost_tnd": t.cost,
        "existing_facilities_in_reach": t.before.len(),
        "population": pop.iter().sum::<f64>(), "covered_before": sum_if(&cb), "covered_after": sum_if(&ca),
        "newly_covered": newly, "cost_per_newly_covered_tnd": (newly > 0.0).then(|| round(t.cost / newly, 3)),
        "gini_access_before": r6(gini(&ab, pop)), "gini_access_after": r6(gini(&aa, pop)),
        "palma_access_before": r6(palma(&ab, pop)), "palma_access_after": r6(palma(&aa, pop)),
        "share_of_gain_to_least_served_fifth": r6(poorest_share),
    });
    (summary, newly)
}
