//! The pure figures of a scenario: 2SFCA accessibility, its spread (weighted Gini, Palma) and
//! population slices in order of a key (the least-served fifth).

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
pub(super) fn order(key: &[f64]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..key.len()).collect();
    idx.sort_by(|a, b| key[*a].total_cmp(&key[*b]).then(a.cmp(b)));
    idx
}

/// Sum of `v_i × (part of unit i's weight lying in the population fractions [from, to])`, units
/// taken in the order `ord`.
pub(super) fn slice_sum(ord: &[usize], w: &[f64], v: &[f64], from: f64, to: f64) -> f64 {
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
