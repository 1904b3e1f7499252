//! Bodies of the monitoring endpoints, validated into typed values (pure, unit-tested).
use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::Value;

use super::error::{PResult, ProjectsError};
use crate::guard::{request_body, RequestBody};

fn invalid(msg: impl Into<String>) -> ProjectsError {
    ProjectsError::Invalid(msg.into())
}

request_body! {
    /// `POST /api/projects/{code}/status`.
    pub struct StatusBody {
        pub status: Option<String>,
        pub note: Option<String>,
        pub date: Option<String>,
        pub correction: Option<bool>,
        pub reason: Option<String>,
    }
}

/// A validated status change.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusChange {
    pub status: String,
    pub note: Option<String>,
    pub date: NaiveDate,
    /// The reason of an explicit correction (see docs/write-rules.md).
    pub correction: Option<String>,
}

request_body! {
    /// `POST /api/projects/{code}/progress`. Amounts as JSON numbers or strings (kept exact).
    pub struct ProgressBody {
        pub physical_pct: Option<Value>,
        pub committed_tnd: Option<Value>,
        pub paid_tnd: Option<Value>,
        pub date: Option<String>,
        pub note: Option<String>,
        pub blocked: Option<bool>,
        pub blocked_cause: Option<String>,
        pub correction: Option<bool>,
        pub reason: Option<String>,
    }
}

/// A validated progress report.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgressReport {
    pub physical_pct: Option<Decimal>,
    pub committed_tnd: Option<Decimal>,
    pub paid_tnd: Option<Decimal>,
    pub date: NaiveDate,
    pub note: Option<String>,
    pub blocked: Option<bool>,
    pub blocked_cause: Option<String>,
    /// The reason of an explicit correction (see docs/write-rules.md).
    pub correction: Option<String>,
}

/// Parse a JSON body, turning serde's complaints into a 400 that names the fields.
pub fn parse_body<T: RequestBody>(bytes: &[u8], fields: &str) -> PResult<T> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(invalid(format!(
            "the request body is empty: send a JSON object with {fields}"
        )));
    }
    serde_json::from_slice(bytes).map_err(|e| {
        invalid(format!(
            "the body is not valid: {e}; send a JSON object with {fields}"
        ))
    })
}

/// A trimmed text field (None when blank), at most [`crate::guard::text_limit`] characters.
pub(super) fn text(v: Option<String>, name: &str) -> PResult<Option<String>> {
    let max = crate::guard::text_limit(name);
    let v = v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    if let Some(s) = &v {
        if s.chars().count() > max {
            return Err(invalid(format!(
                "{name} is too long: at most {max} characters"
            )));
        }
    }
    Ok(v)
}

fn date(raw: Option<String>, today: NaiveDate) -> PResult<NaiveDate> {
    let Some(raw) = raw.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()) else {
        return Ok(today);
    };
    let d = NaiveDate::parse_from_str(&raw, "%Y-%m-%d")
        .map_err(|_| invalid(format!("date '{raw}' is not a date: give YYYY-MM-DD")))?;
    if d > today {
        return Err(invalid(format!(
            "date {d} is in the future: report what has happened, up to today ({today})"
        )));
    }
    if d.format("%Y").to_string().as_str() < "1956" {
        return Err(invalid(format!("date {d} is implausibly old")));
    }
    Ok(d)
}

fn decimal(v: Option<Value>, name: &str) -> PResult<Option<Decimal>> {
    let raw = match v {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) if s.trim().is_empty() => return Ok(None),
        Some(Value::String(s)) => s.trim().to_string(),
        Some(other) => return Err(invalid(format!("{name} must be a number, not {other}"))),
    };
    let d = Decimal::from_str(&raw)
        .or_else(|_| Decimal::from_scientific(&raw))
        .map_err(|_| invalid(format!("{name} '{raw}' is not a number")))?;
    if d.is_sign_negative() && !d.is_zero() {
        return Err(invalid(format!("{name} {raw} is negative")));
    }
    Ok(Some(d.normalize()))
}

pub(super) fn money(v: Option<Value>, name: &str) -> PResult<Option<Decimal>> {
    let d = decimal(v, name)?;
    if let Some(d) = d {
        if d.scale() > 3 {
            return Err(invalid(format!(
                "{name} {d} has more than 3 decimals: amounts are in TND to the millime"
            )));
        }
        if d >= Decimal::from(1_000_000_000_000_000i64) {
            return Err(invalid(format!("{name} {d} is too large")));
        }
    }
    Ok(d)
}

impl StatusBody {
    pub fn validate(self, known: &[String], today: NaiveDate) -> PResult<StatusChange> {
        let status = text(self.status, "status")?
            .ok_or_else(|| invalid(format!("missing status: give one of {}", known.join(", "))))?;
        if !known.contains(&status) {
            return Err(invalid(format!(
                "status '{status}' is not one of {}",
                known.join(", ")
            )));
        }
        Ok(StatusChange {
            status,
            note: text(self.note, "note")?,
            date: date(self.date, today)?,
            correction: super::rules::correction(self.correction, self.reason.as_deref())
                .map_err(invalid)?,
        })
    }
}

impl ProgressBody {
    pub fn validate(self, today: NaiveDate) -> PResult<ProgressReport> {
        let physical_pct = decimal(self.physical_pct, "physical_pct")?;
        if let Some(p) = physical_pct {
            if p > Decimal::from(100) || p.scale() > 2 {
                return Err(invalid(format!(
                    "physical_pct {p} must be a percentage from 0 to 100 with at most 2 decimals"
                )));
            }
        }
        let committed_tnd = money(self.committed_tnd, "committed_tnd")?;
        let paid_tnd = money(self.paid_tnd, "paid_tnd")?;
        if let (Some(c), Some(p)) = (committed_tnd, paid_tnd) {
            if p > c {
                return Err(invalid(format!(
                    "paid_tnd {p} exceeds committed_tnd {c}: what is paid must have been committed"
                )));
            }
        }
        let blocked_cause = text(self.blocked_cause, "blocked_cause")?;
        if blocked_cause.is_some() && self.blocked != Some(true) {
            return Err(invalid("blocked_cause is given but blocked is not true: send \"blocked\": true with the cause"));
        }
        if self.blocked == Some(true) && blocked_cause.is_none() {
            return Err(invalid(
                "blocked is true but no blocked_cause: say what blocks the project",
            ));
        }
        let report = ProgressReport {
            physical_pct,
            committed_tnd,
            paid_tnd,
            date: date(self.date, today)?,
            note: text(self.note, "note")?,
            blocked: self.blocked,
            blocked_cause,
            correction: super::rules::correction(self.correction, self.reason.as_deref())
                .map_err(invalid)?,
        };
        if report.physical_pct.is_none()
            && report.committed_tnd.is_none()
            && report.paid_tnd.is_none()
            && report.blocked.is_none()
        {
            return Err(invalid(
                "an empty report: give at least one of physical_pct, committed_tnd, paid_tnd or blocked",
            ));
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, 1).unwrap()
    }

    fn progress(v: Value) -> PResult<ProgressReport> {
        parse_body::<ProgressBody>(v.to_string().as_bytes(), "…")?.validate(today())
    }

    #[test]
    fn progress_reports() {
        let r =
            progress(json!({"physical_pct": 42.5, "committed_tnd": "1000.125", "paid_tnd": 250}))
                .unwrap();
        assert_eq!(r.physical_pct.unwrap().to_string(), "42.5");
        assert_eq!(r.committed_tnd.unwrap().to_string(), "1000.125");
        assert_eq!(r.date, today());
        for (body, needle) in [
            (json!({}), "empty report"),
            (json!({"physical_pct": 120}), "0 to 100"),
            (json!({"paid_tnd": -1}), "negative"),
            (json!({"paid_tnd": 1.0001}), "millime"),
            (json!({"committed_tnd": 10, "paid_tnd": 20}), "exceeds"),
            (json!({"paid_tnd": "abc"}), "not a number"),
            (json!({"paid_tnd": 1, "date": "2030-01-01"}), "future"),
            (json!({"paid_tnd": 1, "date": "01/02/2024"}), "YYYY-MM-DD"),
            (json!({"blocked": true}), "blocked_cause"),
            (json!({"paid": 1}), "unknown field"),
        ] {
            let e = progress(body.clone()).unwrap_err().to_string();
            assert!(e.contains(needle), "{body}: {e}");
        }
        assert!(parse_body::<ProgressBody>(b"  ", "x")
            .unwrap_err()
            .to_string()
            .contains("empty"));
    }

    #[test]
    fn status_changes() {
        let known = vec!["planned".to_string(), "approved".to_string()];
        let body: StatusBody = parse_body(br#"{"status":" approved ","note":"  "}"#, "…").unwrap();
        let c = body.validate(&known, today()).unwrap();
        assert_eq!(
            (c.status.as_str(), c.note, c.date),
            ("approved", None, today())
        );
        let body: StatusBody = parse_body(br#"{"status":"done"}"#, "…").unwrap();
        assert!(body
            .validate(&known, today())
            .unwrap_err()
            .to_string()
            .contains("not one of"));
        let body: StatusBody = parse_body(br#"{"note":"x"}"#, "…").unwrap();
        assert!(body
            .validate(&known, today())
            .unwrap_err()
            .to_string()
            .contains("missing status"));
    }
}
