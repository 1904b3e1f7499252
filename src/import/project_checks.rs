//! The checks on one project location: status, precision, dates, numbers and its funding line.
use serde_json::Value;

use super::Candidate;

pub(super) const FUNDING_FIELDS: &[&str] = &[
    "funding_kind",
    "funder",
    "funding_amount",
    "funding_currency",
    "funding_amount_tnd",
];

const PRECISIONS: &[&str] = &[
    "exact",
    "approximate",
    "municipality",
    "delegation",
    "governorate",
    "national",
];

const FUNDING_KINDS: &[&str] = &[
    "own_resources",
    "state_transfer",
    "cpscl_loan",
    "cpscl_grant",
    "donor_loan",
    "donor_grant",
    "other",
];

pub(super) fn non_negative(c: &Candidate, f: &str) -> Result<(), String> {
    match c.data.get(f) {
        Some(Value::String(s)) if s.starts_with('-') => Err(format!("{f} {s} is negative")),
        Some(Value::Number(n)) if n.as_i64().is_some_and(|v| v < 0) => {
            Err(format!("{f} {n} is negative"))
        }
        _ => Ok(()),
    }
}

/// Check one location feature; fills defaults (precision, location id).
pub(super) fn check(c: &mut Candidate, statuses: &[String]) -> Result<(), String> {
    for f in ["budget_tnd", "beneficiaries"] {
        non_negative(c, f)?;
    }
    if let Some(s) = c.str("status") {
        if !statuses.iter().any(|x| x == s) {
            return Err(format!(
                "status {s:?} is not one of {}",
                statuses.join(", ")
            ));
        }
    }
    let precision = match c.str("precision") {
        Some(p) => p.to_string(),
        // A row without coordinates and without a precision is about the whole country.
        None if c.wkb.is_none() => "national".to_string(),
        None => "exact".to_string(),
    };
    if !PRECISIONS.contains(&precision.as_str()) {
        return Err(format!(
            "precision {precision:?} is not one of {}",
            PRECISIONS.join(", ")
        ));
    }
    c.data.insert("precision".into(), precision.into());
    if let Some(d) = c.str("disclosure") {
        let level = crate::disclosure::parse(d)?;
        c.data.insert("disclosure".into(), level.into());
    }
    let location = match (c.str("location_id"), c.fid) {
        (Some(l), _) => l.to_string(),
        (None, Some(fid)) => fid.to_string(),
        (None, None) => return Err("missing location_id and the file has no feature ids".into()),
    };
    c.data.insert("location_id".into(), location.into());
    Ok(())
}

/// Check a location's funding line; fills the currency (default TND) and the TND amount.
pub(super) fn check_funding(c: &mut Candidate) -> Result<(), String> {
    for f in ["funding_amount", "funding_amount_tnd"] {
        non_negative(c, f)?;
    }
    let funding = [
        "funding_kind",
        "funder",
        "funding_amount",
        "funding_amount_tnd",
    ];
    if funding.iter().any(|f| c.data.contains_key(*f)) {
        match c.str("funding_kind") {
            Some(k) if FUNDING_KINDS.contains(&k) => {}
            Some(k) => {
                return Err(format!(
                    "funding_kind {k:?} is not one of {}",
                    FUNDING_KINDS.join(", ")
                ))
            }
            None => {
                return Err(format!(
                    "funding given without funding_kind (one of {})",
                    FUNDING_KINDS.join(", ")
                ))
            }
        }
        let Some(amount) = c.str("funding_amount").map(str::to_string) else {
            return Err("funding given without funding_amount".into());
        };
        let currency = c.str("funding_currency").unwrap_or("TND").to_uppercase();
        if c.str("funding_amount_tnd").is_none() {
            if currency != "TND" {
                return Err(format!(
                    "funding_amount is in {currency}: funding_amount_tnd (its value in TND) is needed too"
                ));
            }
            c.data.insert("funding_amount_tnd".into(), amount.into());
        }
        c.data.insert("funding_currency".into(), currency.into());
    }
    Ok(())
}
